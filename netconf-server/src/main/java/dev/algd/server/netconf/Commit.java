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
    private final long session;

    Commit(SharedDatastores datastores, ConfigCommitter committer, long session) {
        super("commit");
        this.datastores = datastores;
        this.transactions = datastores.candidate();
        this.committer = committer;
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
        Optional<DOMDataTreeReadWriteTransaction> candidate = transactions.getCandidateTransaction();
        if (candidate.isEmpty()) {
            return RpcReplies.ok(request);
        }
        ContainerNode root;
        try {
            root = candidateRoot(candidate.get());
        } catch (InterruptedException | ExecutionException e) {
            return unreadableCandidate(request, e);
        }
        try {
            committer.commit(root, transactions::commitTransaction);
            datastores.candidateCommittedOrDiscarded();
            return RpcReplies.ok(request);
        } catch (ConfigCommitter.CommitRefused refused) {
            return refused.violations().isEmpty()
                    ? RpcReplies.failure(request, "application", "operation-failed", refused.getMessage())
                    : RpcReplies.violations(request, refused.violations());
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
