package dev.algd.server.netconf;

import org.opendaylight.netconf.api.xml.XmlElement;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;

/**
 * {@code <lock>} and {@code <unlock>} (RFC 6241 §7.5, §7.6) on running, candidate and startup, global across sessions.
 * A lock is refused while another session holds it, or while the candidate holds another session's
 * uncommitted changes, with lock-denied naming that session.
 */
final class Lock extends DatastoreOperation {
    private final SharedDatastores datastores;
    private final long session;
    private final boolean unlock;

    Lock(SharedDatastores datastores, long session, boolean unlock) {
        super(unlock ? "unlock" : "lock");
        this.datastores = datastores;
        this.session = session;
        this.unlock = unlock;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        String target = target(request);
        if (!SharedDatastores.RUNNING.equals(target) && !SharedDatastores.CANDIDATE.equals(target)
                && !SharedDatastores.STARTUP.equals(target)) {
            return RpcReplies.failure(request, "protocol", "invalid-value",
                    "<target> must be <running/>, <candidate/> or <startup/>" + (target == null ? "" : ", not <" + target + "/>"));
        }
        if (unlock) {
            return datastores.unlock(target, session) ? RpcReplies.ok(request)
                    : RpcReplies.failure(request, "protocol", "operation-failed",
                            "this session does not hold the lock on " + target);
        }
        long holder = datastores.lock(target, session);
        return holder == SharedDatastores.FREE ? RpcReplies.ok(request)
                : RpcReplies.lockDenied(request, holder, "the " + target + " datastore is locked by session " + holder
                        + " or holds its uncommitted changes");
    }

    /** The name of the single element inside {@code <target>}, or null. */
    static String target(Document request) {
        try {
            XmlElement operation = XmlElement.fromDomDocument(request).getOnlyChildElement();
            return operation.getOnlyChildElement("target").getOnlyChildElement().getName();
        } catch (Exception e) {
            return null;
        }
    }
}
