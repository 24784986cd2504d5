package dev.algd.server.netconf;

import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;

/** {@code <cancel-commit>} (RFC 6241 §8.4.4.1): running goes back to where the confirmed commit found it. */
final class CancelCommit extends DatastoreOperation {
    private final ConfirmedCommits confirmedCommits;
    private final long session;

    CancelCommit(ConfirmedCommits confirmedCommits, long session) {
        super("cancel-commit");
        this.confirmedCommits = confirmedCommits;
        this.session = session;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        var ids = request.getDocumentElement().getElementsByTagNameNS("*", "persist-id");
        String persistId = ids.getLength() == 0 ? null : ids.item(0).getTextContent().strip();
        if (!confirmedCommits.isPending()) {
            return RpcReplies.failure(request, "protocol", "operation-failed", "no confirmed commit is pending");
        }
        return confirmedCommits.cancel(session, persistId) ? RpcReplies.ok(request)
                : RpcReplies.failure(request, "protocol", "invalid-value", persistId == null
                        ? "the pending confirmed commit belongs to another session or was given a persist token;"
                                + " give its persist-id"
                        : "persist-id '" + persistId + "' names no pending confirmed commit");
    }
}
