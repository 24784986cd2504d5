package dev.algd.server.netconf;

import dev.algd.server.ConfigCommitter;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending confirmed commit (RFC 6241 §8.4, :confirmed-commit:1.1), at most one for the whole device. It
 * remembers running as it was before the first confirmed commit; unless a confirming commit arrives in time
 * (from the same session, or from any session naming the persist-id), running goes back to that point
 * through the ordinary commit path: on timeout, on cancel-commit, or when the session ends without persist.
 */
final class ConfirmedCommits {
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmedCommits.class);

    /** RFC 6241 §8.4.5: the default confirm-timeout is 600 seconds. */
    static final long DEFAULT_TIMEOUT_SECONDS = 600;

    private final DOMDataBroker broker;
    private final ConfigCommitter committer;
    private final SharedDatastores datastores;
    private final ScheduledExecutorService timer;

    private ContainerNode rollbackTo;
    private long owner;
    private String persistId;
    private ScheduledFuture<?> timeout;

    ConfirmedCommits(DOMDataBroker broker, ConfigCommitter committer, SharedDatastores datastores,
            ScheduledExecutorService timer) {
        this.broker = broker;
        this.committer = committer;
        this.datastores = datastores;
        this.timer = timer;
    }

    synchronized boolean isPending() {
        return rollbackTo != null;
    }

    /** Whether {@code session} (or the holder of {@code givenPersistId}) may confirm or extend the pending commit. */
    synchronized boolean mayConfirm(long session, String givenPersistId) {
        if (rollbackTo == null) {
            return true;
        }
        return persistId == null ? owner == session && givenPersistId == null : persistId.equals(givenPersistId);
    }

    /** Before a confirmed commit is applied: remembers running, unless an earlier confirmed commit did already. */
    synchronized void beforeConfirmedCommit(ContainerNode running) {
        if (rollbackTo == null) {
            rollbackTo = running;
        }
    }

    /** After a confirmed commit was applied: (re)starts the timeout. */
    synchronized void confirmedCommitApplied(long session, String persist, long timeoutSeconds) {
        owner = session;
        persistId = persist;
        if (timeout != null) {
            timeout.cancel(false);
        }
        timeout = timer.schedule(() -> rollBack("confirm-timeout expired", ConfigCommitter.SERVER), timeoutSeconds, TimeUnit.SECONDS);
    }

    /** A confirming commit arrived: the new running stays. */
    synchronized void confirm() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        clear();
    }

    /** {@code <cancel-commit>}: refused (false) unless the caller may cancel. */
    synchronized boolean cancel(long session, String givenPersistId) {
        if (rollbackTo == null || !mayConfirm(session, givenPersistId)) {
            return false;
        }
        rollBack("cancel-commit", session);
        return true;
    }

    synchronized void sessionEnded(long session) {
        if (rollbackTo != null && persistId == null && owner == session) {
            rollBack("the session of the confirmed commit ended", ConfigCommitter.SERVER);
        }
    }

    /** Puts running back; {@code author} is the session that asked for it, or the server itself. */
    private synchronized void rollBack(String why, long author) {
        if (rollbackTo == null) {
            return;
        }
        ContainerNode target = rollbackTo;
        if (timeout != null) {
            timeout.cancel(false);
        }
        clear();
        try {
            var tx = broker.newReadWriteTransaction();
            ContainerNode current = (ContainerNode) tx.read(LogicalDatastoreType.CONFIGURATION,
                    YangInstanceIdentifier.of()).get().orElseThrow();
            Set<Object> kept = new HashSet<>();
            for (DataContainerChild child : target.body()) {
                kept.add(child.name());
                tx.put(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of(child.name()), child);
            }
            for (DataContainerChild child : current.body()) {
                if (!kept.contains(child.name())) {
                    tx.delete(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of(child.name()));
                }
            }
            committer.commit(target, () -> tx.commit().get(), author);
            if (datastores.candidate().getCandidateTransaction().isPresent()) {
                datastores.candidate().abortTransaction();
            }
            datastores.candidateCommittedOrDiscarded();
            LOG.info("confirmed commit rolled back: {}", why);
        } catch (Exception e) {
            LOG.error("rolling back the confirmed commit ({}) failed: {}", why, e.getMessage());
        }
    }

    private void clear() {
        rollbackTo = null;
        persistId = null;
        owner = 0;
        timeout = null;
    }
}
