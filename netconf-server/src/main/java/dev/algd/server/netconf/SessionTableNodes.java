package dev.algd.server.netconf;

import dev.algd.engine.SessionView;
import dev.algd.server.model.Nodes.SessionTable;
import java.util.Collection;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.common.Uint8;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** Renders engine sessions as the {@code session-table} subtree of algd-session-table. */
final class SessionTableNodes {
    static final NodeIdentifier TABLE = new NodeIdentifier(SessionTable.SESSION_TABLE);
    static final NodeIdentifier LIST = new NodeIdentifier(SessionTable.SESSION);

    private SessionTableNodes() {
    }

    static ContainerNode table(Collection<SessionView> sessions) {
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(TABLE).withChild(list(sessions))
                .withChild(summary(sessions)).build();
    }

    /** Totals by protocol, state and ALG, as {@code session-table/summary}. */
    static ContainerNode summary(Collection<SessionView> sessions) {
        var byProtocol = new java.util.TreeMap<String, Integer>();
        var byState = new java.util.TreeMap<String, Integer>();
        var byAlg = new java.util.TreeMap<String, Integer>();
        for (SessionView s : sessions) {
            byProtocol.merge(protocolName(s.protocol()) + " [" + s.protocol() + "]", 1, Integer::sum);
            byState.merge(s.state(), 1, Integer::sum);
            if (s.alg() != null) {
                byAlg.merge(s.alg().yangName(), 1, Integer::sum);
            }
        }
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(SessionTable.leaf("summary")))
                .withChild(leaf("total", Uint32.valueOf(sessions.size())))
                .withChild(counts("by-protocol", "protocol", byProtocol))
                .withChild(counts("by-state", "state", byState))
                .withChild(counts("by-alg", "alg", byAlg))
                .build();
    }

    private static MapNode counts(String list, String key, java.util.Map<String, Integer> counts) {
        QName listName = SessionTable.leaf(list);
        QName keyName = SessionTable.leaf(key);
        var map = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(listName));
        counts.forEach((value, count) -> map.withChild(ImmutableNodes.newMapEntryBuilder()
                .withNodeIdentifier(NodeIdentifierWithPredicates.of(listName, keyName, value))
                .withChild(ImmutableNodes.leafNode(keyName, value))
                .withChild(leaf("count", Uint32.valueOf(count)))
                .build()));
        return map.build();
    }

    static MapNode list(Collection<SessionView> sessions) {
        var list = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(LIST);
        sessions.forEach(session -> list.withChild(entry(session)));
        return list.build();
    }

    static NodeIdentifierWithPredicates key(long id) {
        return NodeIdentifierWithPredicates.of(SessionTable.SESSION, SessionTable.ID, Uint64.fromLongBits(id));
    }

    static MapEntryNode entry(SessionView s) {
        var entry = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(key(s.id()))
                .withChild(leaf("id", Uint64.fromLongBits(s.id())))
                .withChild(leaf("protocol", protocolName(s.protocol()) + " [" + s.protocol() + "]"))
                .withChild(leaf("protocol-number", Uint8.valueOf(s.protocol())))
                .withChild(leaf("source-address", s.sourceAddressText()))
                .withChild(leaf("source-port", Uint16.valueOf(s.sourcePort())))
                .withChild(leaf("destination-address", s.destinationAddressText()))
                .withChild(leaf("destination-port", Uint16.valueOf(s.destinationPort())))
                .withChild(leaf("state", s.state()))
                .withChild(leaf("timeout", Uint32.valueOf(Math.min(s.timeoutSeconds(), 0xFFFF_FFFFL))))
                .withChild(leaf("interface", s.interfaceName()))
                .withChild(leaf("parent", Uint64.fromLongBits(s.parentId())));
        if (s.features().contains("snat")) {
            entry.withChild(leaf("translated-address", s.translatedAddressText()))
                    .withChild(leaf("translated-port", Uint16.valueOf(s.translatedPort())));
        }
        if (s.features().contains("dnat")) {
            entry.withChild(leaf("translated-destination-address",
                            s.translatedDestinationAddressText()))
                    .withChild(leaf("translated-destination-port", Uint16.valueOf(s.translatedDestinationPort())));
        }
        if (s.alg() != null) {
            entry.withChild(leaf("alg", s.alg().yangName()));
        }
        if (!s.features().isEmpty()) {
            QName feature = SessionTable.leaf("feature");
            var features = ImmutableNodes.<String>newSystemLeafSetBuilder().withNodeIdentifier(new NodeIdentifier(feature));
            s.features().stream().sorted().forEach(f -> features.withChild(ImmutableNodes.<String>newLeafSetEntryBuilder()
                    .withNodeIdentifier(new NodeWithValue<>(feature, f)).withValue(f).build()));
            entry.withChild(features.build());
        }
        entry.withChild(ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(new NodeIdentifier(SessionTable.leaf("counters")))
                .withChild(leaf("packets-original", Uint64.fromLongBits(s.packetsOriginal())))
                .withChild(leaf("bytes-original", Uint64.fromLongBits(s.bytesOriginal())))
                .withChild(leaf("packets-reply", Uint64.fromLongBits(s.packetsReply())))
                .withChild(leaf("bytes-reply", Uint64.fromLongBits(s.bytesReply())))
                .build());
        return entry.build();
    }

    private static org.opendaylight.yangtools.yang.data.api.schema.LeafNode<Object> leaf(String name, Object value) {
        return ImmutableNodes.leafNode(SessionTable.leaf(name), value);
    }

    static String protocolName(int protocol) {
        return switch (protocol) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 47 -> "gre";
            case 58 -> "ipv6-icmp";
            default -> "proto";
        };
    }
}
