package dev.algd.server.netconf;

import dev.algd.engine.config.Violation;
import dev.algd.server.ConfigCommitter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.opendaylight.netconf.server.mdsal.TransactionProvider;
import org.w3c.dom.Document;

/** {@code <validate>} of the candidate (RFC 6241 §8.6): the same checks as commit, nothing applied. */
final class Validate extends DatastoreOperation {
    private final TransactionProvider transactions;
    private final ConfigCommitter committer;

    Validate(SharedDatastores datastores, ConfigCommitter committer) {
        super("validate");
        this.transactions = datastores.candidate();
        this.committer = committer;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        var candidate = transactions.getCandidateTransaction();
        if (candidate.isEmpty()) {
            return RpcReplies.ok(request);
        }
        try {
            List<Violation> violations = committer.check(Commit.candidateRoot(candidate.get()));
            return violations.isEmpty() ? RpcReplies.ok(request) : RpcReplies.violations(request, violations);
        } catch (InterruptedException | ExecutionException e) {
            return Commit.unreadableCandidate(request, e);
        }
    }
}
