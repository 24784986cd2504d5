package dev.algd.orchestrator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.mdsal.dom.api.DOMMountPoint;
import org.opendaylight.mdsal.dom.api.DOMSchemaService;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.common.XMLNamespace;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.stmt.ModuleEffectiveStatement;

/**
 * algd as seen through a controller's mount point: DOM reads and writes against the YANG the device itself served
 * (get-schema), so nothing here is compiled against algd's modules. Each read is a NETCONF {@code <get>} or
 * {@code <get-config>} with a subtree filter; each write is lock, edit-config, commit, unlock, all done by the
 * southbound.
 */
final class AlgdMount {

    private static final XMLNamespace SYSTEM = XMLNamespace.of("urn:algd:yang:algd-system");
    private static final XMLNamespace SESSION_TABLE = XMLNamespace.of("urn:algd:yang:algd-session-table");
    private static final long NETCONF_TIMEOUT_SECONDS = 60;

    private final DOMDataBroker broker;
    private final EffectiveModelContext schema;
    private final QNameModule system;
    private final QNameModule sessionTable;

    AlgdMount(Device device, DOMMountPoint mount) {
        this.broker = mount.getService(DOMDataBroker.class).orElseThrow(() -> new IllegalStateException(
            "device " + device.name() + ": its mount point has no data broker"));
        this.schema = mount.getService(DOMSchemaService.class).orElseThrow(() -> new IllegalStateException(
            "device " + device.name() + ": its mount point has no schema")).getGlobalContext();
        this.system = module(device, schema, SYSTEM);
        this.sessionTable = module(device, schema, SESSION_TABLE);
    }

    /** The device's schema, as assembled from the modules it served. */
    EffectiveModelContext schema() {
        return schema;
    }

    /** {@code /session-table} (operational): the live sessions and their summary. */
    NormalizedNode readSessionTable() throws Exception {
        QName table = QName.create(sessionTable, "session-table");
        return read(LogicalDatastoreType.OPERATIONAL, YangInstanceIdentifier.of(table))
            .orElseGet(() -> ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(table)).build());
    }

    /** {@code /alg-state} (operational): what the engine applies now, with each ALG's effective ports. */
    NormalizedNode readAlgState() throws Exception {
        return read(LogicalDatastoreType.OPERATIONAL, YangInstanceIdentifier.of(QName.create(system, "alg-state")))
            .orElseThrow(() -> new IllegalStateException("the device has no /alg-state"));
    }

    /**
     * Replaces the ALG's configured control ports (keeping its other leaves, such as disable) in one commit. The
     * device validates the change like any other commit; a refusal comes back as the commit's failure.
     */
    void setPorts(PortChange change) throws Exception {
        QName alg = QName.create(system, change.alg());
        QName port = QName.create(system, "port");
        YangInstanceIdentifier path = YangInstanceIdentifier.of(
            QName.create(system, "system"), QName.create(system, "alg"), alg);
        Optional<NormalizedNode> current = read(LogicalDatastoreType.CONFIGURATION, path);

        var replacement = ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(alg));
        if (current.orElse(null) instanceof ContainerNode existing) {
            for (DataContainerChild child : existing.body()) {
                if (!child.name().getNodeType().equals(port)) {
                    replacement.withChild(child);
                }
            }
        }
        var ports = ImmutableNodes.<Uint16>newSystemLeafSetBuilder()
            .withNodeIdentifier(new NodeIdentifier(port));
        for (int p : change.ports()) {
            ports.withChild(ImmutableNodes.leafSetEntry(port, Uint16.valueOf(p)));
        }
        replacement.withChild(ports.build());

        var tx = broker.newWriteOnlyTransaction();
        tx.put(LogicalDatastoreType.CONFIGURATION, path, replacement.build());
        tx.commit().get(NETCONF_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Optional<NormalizedNode> read(LogicalDatastoreType store, YangInstanceIdentifier path) throws Exception {
        try (var tx = broker.newReadOnlyTransaction()) {
            return tx.read(store, path).get(NETCONF_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static QNameModule module(Device device, EffectiveModelContext schema, XMLNamespace namespace) {
        List<QNameModule> found = schema.findModuleStatements(namespace).stream()
            .map(ModuleEffectiveStatement::localQNameModule).toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("device " + device.name() + " does not serve a module in namespace "
                + namespace + ": is it algd?");
        }
        return found.getFirst();
    }
}
