package dev.algd.server.netconf;

import java.util.Map;
import org.opendaylight.netconf.server.api.monitoring.NetconfMonitoringService;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.NetconfState;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.Yang;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.Schemas;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.schemas.Schema;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/**
 * RFC 6022 {@code /netconf-state/schemas}: the modules {@code <get-schema>} serves. A controller reads this list to
 * learn where the modules named in the hello can be fetched (OpenDaylight's NETCONF southbound builds a mount's
 * schema only from modules listed here), so it is the same list get-schema answers from. Only the schemas
 * subtree is served; sessions, datastores and statistics are not.
 */
final class NetconfStateSchemas {
    static final YangInstanceIdentifier PATH = YangInstanceIdentifier.of(NetconfState.QNAME);

    private static final QName IDENTIFIER = QName.create(Schema.QNAME, "identifier").intern();
    private static final QName VERSION = QName.create(Schema.QNAME, "version").intern();
    private static final QName FORMAT = QName.create(Schema.QNAME, "format").intern();
    private static final QName NAMESPACE = QName.create(Schema.QNAME, "namespace").intern();
    private static final QName LOCATION = QName.create(Schema.QNAME, "location").intern();

    private NetconfStateSchemas() {
    }

    /** {@code netconf-state} with one schema entry per YANG module get-schema serves. */
    static ContainerNode of(NetconfMonitoringService monitoring) {
        var list = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(Schema.QNAME));
        for (Schema schema : monitoring.getSchemas().nonnullSchema().values()) {
            if (!Yang.class.equals(schema.getFormat().implementedInterface())) {
                continue; // algd has YANG only; another format would need its own identity here
            }
            var locations = ImmutableNodes.<String>newSystemLeafSetBuilder()
                    .withNodeIdentifier(new NodeIdentifier(LOCATION));
            for (Schema.Location location : schema.getLocation()) {
                String value = location.getEnumeration() != null ? location.getEnumeration().getName()
                        : location.getUri().getValue();
                locations.withChild(ImmutableNodes.leafSetEntry(LOCATION, value));
            }
            list.withChild(ImmutableNodes.newMapEntryBuilder()
                    .withNodeIdentifier(NodeIdentifierWithPredicates.of(Schema.QNAME, Map.of(
                            IDENTIFIER, schema.getIdentifier(), VERSION, schema.getVersion(), FORMAT, Yang.QNAME)))
                    .withChild(ImmutableNodes.leafNode(IDENTIFIER, schema.getIdentifier()))
                    .withChild(ImmutableNodes.leafNode(VERSION, schema.getVersion()))
                    .withChild(ImmutableNodes.leafNode(FORMAT, Yang.QNAME))
                    .withChild(ImmutableNodes.leafNode(NAMESPACE, schema.getNamespace().getValue()))
                    .withChild(locations.build())
                    .build());
        }
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(NetconfState.QNAME))
                .withChild(ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(Schemas.QNAME))
                        .withChild(list.build())
                        .build())
                .build();
    }
}
