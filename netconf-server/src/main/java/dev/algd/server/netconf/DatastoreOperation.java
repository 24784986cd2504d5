package dev.algd.server.netconf;

import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.server.api.operations.AbstractNetconfOperation.OperationNameAndNamespace;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.w3c.dom.Document;

/** Base of algd's own base-namespace operations: claims one operation name and builds its whole reply. */
abstract class DatastoreOperation implements NetconfOperation {
    private final String name;

    DatastoreOperation(String name) {
        this.name = name;
    }

    @Override
    public final HandlingPriority canHandle(Document message) throws DocumentedException {
        var operation = new OperationNameAndNamespace(message);
        return name.equals(operation.getOperationName()) && NamespaceURN.BASE.equals(operation.getNamespace())
                ? HandlingPriority.HANDLE_WITH_MAX_PRIORITY : null;
    }
}
