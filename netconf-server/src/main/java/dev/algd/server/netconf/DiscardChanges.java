package dev.algd.server.netconf;

import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;

/**
 * {@code <discard-changes>} (RFC 6241 §8.3.4.2): the shared candidate goes back to running, unless another
 * session holds the candidate lock. Discarding an unmodified candidate is not an error.
 */
final class DiscardChanges extends DatastoreOperation {
    private final SharedDatastores datastores;
    private final long session;

    DiscardChanges(SharedDatastores datastores, long session) {
        super("discard-changes");
        this.datastores = datastores;
        this.session = session;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        long holder = datastores.blockingHolder(SharedDatastores.CANDIDATE, session);
        if (holder != SharedDatastores.FREE) {
            return RpcReplies.inUse(request, holder, "the candidate datastore is locked by session " + holder);
        }
        if (datastores.candidate().getCandidateTransaction().isPresent()) {
            datastores.candidate().abortTransaction();
        }
        datastores.candidateCommittedOrDiscarded();
        return RpcReplies.ok(request);
    }
}
