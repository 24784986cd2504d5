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
    private final TransactionProvider transactions;
    private final ConfigCommitter committer;

    Commit(TransactionProvider transactions, ConfigCommitter committer) {
        super("commit");
        this.transactions = transactions;
        this.committer = committer;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        Optional<DOMDataTreeReadWriteTransaction> candidate = transactions.getCandidateTransaction();
        if (candidate.isEmpty()) {
            return RpcReplies.ok(request);
        }
        ContainerNode root;
        try {
            root = candidateRoot(candidate.get());
        } catch (InterruptedException | ExecutionException e) {
            return RpcReplies.failure(request, "application", "operation-failed",
                    "the candidate configuration could not be read: " + e.getMessage());
        }
        try {
            committer.commit(root, transactions::commitTransaction);
            return RpcReplies.ok(request);
        } catch (ConfigCommitter.CommitRefused refused) {
            return refused.violations().isEmpty()
                    ? RpcReplies.failure(request, "application", "operation-failed", refused.getMessage())
                    : RpcReplies.violations(request, refused.violations());
        }
    }

    static ContainerNode candidateRoot(DOMDataTreeReadWriteTransaction candidate)
            throws InterruptedException, ExecutionException {
        Optional<NormalizedNode> root = candidate.read(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of()).get();
        return (ContainerNode) root.orElseThrow();
    }
}
