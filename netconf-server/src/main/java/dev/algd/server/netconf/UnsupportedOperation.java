package dev.algd.server.netconf;

import java.util.Set;
import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.server.api.operations.AbstractNetconfOperation.OperationNameAndNamespace;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;

/**
 * Every operation nobody else handles gets operation-not-supported naming the operation and nothing else.
 * Without it OpenDaylight answers an unknown RPC with an error that echoes the request and its session object,
 * client address included.
 */
final class UnsupportedOperation implements NetconfOperation {
    /** Base operations some other operation of the server handles (algd's own, OpenDaylight's server ones). */
    private static final Set<String> HANDLED_BASE = Set.of("get", "get-config", "edit-config", "commit", "validate",
            "discard-changes", "lock", "unlock", "cancel-commit", "copy-config", "delete-config", "close-session", "start-exi", "stop-exi");
    private static final String MONITORING = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        var operation = new OperationNameAndNamespace(message);
        String name = operation.getOperationName();
        String namespace = operation.getNamespace();
        boolean handledElsewhere = NamespaceURN.BASE.equals(namespace) && HANDLED_BASE.contains(name)
                || MONITORING.equals(namespace) && "get-schema".equals(name)
                || ClearSessions.NAMESPACE.equals(namespace) && "clear-sessions".equals(name);
        return handledElsewhere ? null : HandlingPriority.HANDLE_WITH_DEFAULT_PRIORITY;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) throws DocumentedException {
        var operation = new OperationNameAndNamespace(request);
        return RpcReplies.failure(request, "protocol", "operation-not-supported", "algd does not support the <"
                + operation.getOperationName() + "> operation" + (operation.getNamespace() == null
                        || operation.getNamespace().isEmpty() ? "" : " of " + operation.getNamespace()));
    }
}
