package dev.algd.server.netconf;

import java.util.HashMap;
import java.util.Map;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.netconf.server.mdsal.TransactionProvider;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.netconf.base._1._0.rev110601.SessionIdType;
import org.opendaylight.yangtools.yang.common.Uint32;

/**
 * The datastores as every session sees them (RFC 6241 §5, §7.5): one candidate shared by all sessions, and the
 * global locks on candidate and running. OpenDaylight gives each session a private candidate and a lock that
 * locks nothing; here one {@link TransactionProvider} backs every session's candidate operations.
 */
final class SharedDatastores {
    static final String RUNNING = "running";
    static final String CANDIDATE = "candidate";
    static final String STARTUP = "startup";
    /** Returned by lock checks when nobody else holds the lock. */
    static final long FREE = 0;

    private final DOMDataBroker broker;
    private final TransactionProvider candidate;
    private final Map<String, Long> lockHolders = new HashMap<>();
    /** The session whose edits the candidate holds uncommitted, or {@link #FREE}. */
    private long candidateModifiedBy = FREE;

    SharedDatastores(DOMDataBroker broker) {
        this.broker = broker;
        // The session id only labels OpenDaylight's log lines; the provider serves every session.
        candidate = new TransactionProvider(broker, new SessionIdType(Uint32.ONE));
    }

    DOMDataBroker broker() {
        return broker;
    }

    TransactionProvider candidate() {
        return candidate;
    }

    /**
     * Takes the lock on {@code datastore} for {@code session}. Returns {@link #FREE} when granted, else the id of
     * the session that stands in the way: the holder, or the session with uncommitted changes in the candidate.
     */
    synchronized long lock(String datastore, long session) {
        Long holder = lockHolders.get(datastore);
        if (holder != null) {
            return holder;
        }
        if (CANDIDATE.equals(datastore) && candidateModifiedBy != FREE && candidateModifiedBy != session) {
            return candidateModifiedBy;
        }
        lockHolders.put(datastore, session);
        return FREE;
    }

    /** Releases the lock if {@code session} holds it; false when it does not. */
    synchronized boolean unlock(String datastore, long session) {
        Long holder = lockHolders.get(datastore);
        if (holder == null || holder != session) {
            return false;
        }
        lockHolders.remove(datastore);
        return true;
    }

    /** The other session holding a lock on {@code datastore}, or {@link #FREE}. */
    synchronized long blockingHolder(String datastore, long session) {
        Long holder = lockHolders.get(datastore);
        return holder == null || holder == session ? FREE : holder;
    }

    synchronized void candidateModified(long session) {
        candidateModifiedBy = session;
    }

    synchronized void candidateCommittedOrDiscarded() {
        candidateModifiedBy = FREE;
    }

    /**
     * A session ended: its locks go, and if it held the candidate lock its uncommitted changes are discarded,
     * since nobody else could have made them and nobody is left to commit them.
     */
    synchronized void sessionEnded(long session) {
        Long candidateHolder = lockHolders.get(CANDIDATE);
        if (candidateHolder != null && candidateHolder == session && candidateModifiedBy != FREE) {
            candidate.abortTransaction();
            candidateModifiedBy = FREE;
        }
        lockHolders.values().removeIf(holder -> holder == session);
    }
}
