package dev.algd.server.netconf;

import java.util.Set;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationService;

/** The operations one NETCONF session gets from a factory, and what to undo when the session ends. */
record SessionOperations(Set<NetconfOperation> operations, Runnable onClose) implements NetconfOperationService {
    @Override
    public Set<NetconfOperation> getNetconfOperations() {
        return operations;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
