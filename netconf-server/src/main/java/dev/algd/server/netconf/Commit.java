package dev.algd.server.netconf;

import dev.algd.server.ConfigCommitter;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataTreeReadWriteTransaction;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.opendaylight.netconf.server.mdsal.TransactionProvider;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.w3c.dom.Document;

/**
 * {@code <commit>} (RFC 6241 §8.3.4.1): the candidate becomes running only if the engine accepts all of it.
 * A refused commit answers one rpc-error per broken rule and keeps the candidate, as the RFC expects, so the
 * operator can fix it and commit again.
 */
final class Commit extends DatastoreOperation {
    private final SharedDatastores datastores;
    private final TransactionProvider transactions;
    private final ConfigCommitter committer;
    private final ConfirmedCommits confirmedCommits;
    private final long session;

    Commit(SharedDatastores datastores, ConfigCommitter committer, ConfirmedCommits confirmedCommits, long session) {
        super("commit");
        this.datastores = datastores;
        this.transactions = datastores.candidate();
        this.committer = committer;
        this.confirmedCommits = confirmedCommits;
        this.session = session;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        for (String datastore : new String[] {SharedDatastores.RUNNING, SharedDatastores.CANDIDATE}) {
            long holder = datastores.blockingHolder(datastore, session);
            if (holder != SharedDatastores.FREE) {
                return RpcReplies.inUse(request, holder, "the " + datastore + " datastore is locked by session "
                        + holder + "; commit needs both candidate and running");
            }
        }
        CommitOptions options;
        try {
            options = CommitOptions.of(request);
        } catch (IllegalArgumentException e) {
            return RpcReplies.failure(request, "protocol", "invalid-value", e.getMessage());
        }
        if (!confirmedCommits.mayConfirm(session, options.persistId())) {
            return RpcReplies.failure(request, "protocol", "in-use", "a confirmed commit of another session is "
                    + "pending; only that session, or one giving its persist-id, may commit now");
        }
        Optional<DOMDataTreeReadWriteTransaction> candidate = transactions.getCandidateTransaction();
        if (candidate.isEmpty()) {
            return settle(request, options);
        }
        ContainerNode root;
        try {
            root = candidateRoot(candidate.get());
            if (options.confirmed()) {
                confirmedCommits.beforeConfirmedCommit(runningRoot());
            }
        } catch (InterruptedException | ExecutionException e) {
            return unreadableCandidate(request, e);
        }
        try {
            committer.commit(root, transactions::commitTransaction, session);
            datastores.candidateCommittedOrDiscarded();
            return settle(request, options);
        } catch (ConfigCommitter.CommitRefused refused) {
            return refused.violations().isEmpty()
                    ? RpcReplies.failure(request, "application", "operation-failed", refused.getMessage())
                    : RpcReplies.violations(request, refused.violations());
        }
    }

    /** After the candidate went to running (or there was nothing to commit): start, extend or end confirmation. */
    private Document settle(Document request, CommitOptions options) {
        if (options.confirmed()) {
            confirmedCommits.confirmedCommitApplied(session, options.persist(), options.timeoutSeconds());
        } else if (confirmedCommits.isPending()) {
            confirmedCommits.confirm();
        }
        return RpcReplies.ok(request);
    }

    private ContainerNode runningRoot() throws InterruptedException, ExecutionException {
        try (var running = datastores.broker().newReadOnlyTransaction()) {
            return (ContainerNode) running.read(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of()).get()
                    .orElseThrow();
        }
    }

    /** {@code <confirmed/>}, {@code <confirm-timeout>}, {@code <persist>}, {@code <persist-id>} of a commit. */
    record CommitOptions(boolean confirmed, long timeoutSeconds, String persist, String persistId) {
        static CommitOptions of(Document request) {
            var commit = request.getDocumentElement().getElementsByTagNameNS("*", "commit").item(0);
            boolean confirmed = false;
            long timeout = ConfirmedCommits.DEFAULT_TIMEOUT_SECONDS;
            String persist = null;
            String persistId = null;
            for (var node = commit.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (!(node instanceof org.w3c.dom.Element element)) {
                    continue;
                }
                String text = element.getTextContent().strip();
                switch (element.getLocalName()) {
                    case "confirmed" -> confirmed = true;
                    case "confirm-timeout" -> {
                        try {
                            timeout = Long.parseLong(text);
                        } catch (NumberFormatException e) {
                            timeout = 0;
                        }
                        if (timeout < 1 || timeout > 0xFFFF_FFFFL) {
                            throw new IllegalArgumentException("confirm-timeout '" + text
                                    + "' is not a number of seconds (1..4294967295)");
                        }
                    }
                    case "persist" -> persist = text;
                    case "persist-id" -> persistId = text;
                    default -> throw new IllegalArgumentException("<commit> has no parameter <"
                            + element.getLocalName() + ">");
                }
            }
            return new CommitOptions(confirmed, timeout, persist, persistId);
        }
    }

    /** The datastore checks mandatory leaves when the edited tree is read; say which one is missing. */
    static Document unreadableCandidate(Document request, Exception failure) {
        String root = YangMessages.rootMessage(failure);
        String missing = YangMessages.missingMandatory(root);
        return missing != null ? RpcReplies.failure(request, "application", "data-missing", missing)
                : RpcReplies.failure(request, "application", "operation-failed",
                        "the candidate configuration is not valid: " + YangMessages.clean(root));
    }

    static ContainerNode candidateRoot(DOMDataTreeReadWriteTransaction candidate)
            throws InterruptedException, ExecutionException {
        Optional<NormalizedNode> root = candidate.read(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of()).get();
        return (ContainerNode) root.orElseThrow();
    }
}
