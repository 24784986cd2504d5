package dev.algd.server.netconf;

import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.server.api.operations.AbstractNetconfOperation.OperationNameAndNamespace;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;

/**
 * Notes a {@code <close-session>} (RFC 6241 §7.8), for netconf-session-end's termination-reason, and leaves the
 * closing to OpenDaylight's close-session. That one claims the maximum priority and runs no operation after it, so
 * this one cannot sit in the chain: it notes the request when the router asks every operation whether it handles
 * the message, and declines.
 */
final class CloseSession implements NetconfOperation {
    private final SessionLifecycleNotifications lifecycle;
    private final long session;

    CloseSession(SessionLifecycleNotifications lifecycle, long session) {
        this.lifecycle = lifecycle;
        this.session = session;
    }

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        var operation = new OperationNameAndNamespace(message);
        if ("close-session".equals(operation.getOperationName()) && NamespaceURN.BASE.equals(operation.getNamespace())) {
            lifecycle.closeRequested(session);
        }
        return null;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        throw new IllegalStateException("close-session is OpenDaylight's to handle");
    }
}
