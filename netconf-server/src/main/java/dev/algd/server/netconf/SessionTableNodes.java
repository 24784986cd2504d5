package dev.algd.server.netconf;

import dev.algd.engine.SessionView;
import dev.algd.server.model.Nodes.SessionTable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /** Totals by protocol, state and ALG, as {@code session-table/summary}, each map in key order. */
    record Summary(int total, Map<String, Integer> byProtocol, Map<String, Integer> byState,
            Map<String, Integer> byAlg) {
    }

    /** Counts sessions into a {@link Summary} as they go by, so that a walk page by page needs no list of them. */
    static final class Tally {
        private final Map<String, Integer> byProtocol = new TreeMap<>();
        private final Map<String, Integer> byState = new TreeMap<>();
        private final Map<String, Integer> byAlg = new TreeMap<>();
        private int total;

        void add(SessionView s) {
            total++;
            byProtocol.merge(protocolName(s.protocol()) + " [" + s.protocol() + "]", 1, Integer::sum);
            byState.merge(s.state(), 1, Integer::sum);
            if (s.alg() != null) {
                byAlg.merge(s.alg().yangName(), 1, Integer::sum);
            }
        }

        int total() {
            return total;
        }

        Summary summary() {
            return new Summary(total, byProtocol, byState, byAlg);
        }
    }

    static Summary summarize(Collection<SessionView> sessions) {
        Tally tally = new Tally();
        sessions.forEach(tally::add);
        return tally.summary();
    }

    static ContainerNode summary(Collection<SessionView> sessions) {
        Summary summary = summarize(sessions);
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(SessionTable.leaf("summary")))
                .withChild(leaf("total", Uint32.valueOf(summary.total())))
                .withChild(YangData.counts(SessionTable.MODULE, "by-protocol", "protocol", uint32s(summary.byProtocol())))
                .withChild(YangData.counts(SessionTable.MODULE, "by-state", "state", uint32s(summary.byState())))
                .withChild(YangData.counts(SessionTable.MODULE, "by-alg", "alg", uint32s(summary.byAlg())))
                .build();
    }

    private static java.util.Map<String, Uint32> uint32s(java.util.Map<String, Integer> counts) {
        var converted = new java.util.LinkedHashMap<String, Uint32>();
        counts.forEach((name, count) -> converted.put(name, Uint32.valueOf(count)));
        return converted;
    }

    static MapNode list(Collection<SessionView> sessions) {
        var list = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(LIST);
        sessions.forEach(session -> list.withChild(entry(session)));
        return list.build();
    }

    static NodeIdentifierWithPredicates key(long id) {
        return NodeIdentifierWithPredicates.of(SessionTable.SESSION, SessionTable.ID, Uint64.fromLongBits(id));
    }

    /** Where {@link #describe} writes one session: its leaves in YANG order, with their YANG-typed values. */
    interface SessionFields {
        void leaf(String name, Object value);

        /** The {@code feature} leaf-list, sorted; not called when empty. */
        void features(List<String> features);

        void counters(long packetsOriginal, long bytesOriginal, long packetsReply, long bytesReply);
    }

    /**
     * The one description of a session both renderers write (this class's nodes and {@link SessionTableXml}), in the
     * order of algd-session-table's schema, as OpenDaylight's codec writes it.
     */
    static void describe(SessionView s, SessionFields out) {
        out.leaf("id", Uint64.fromLongBits(s.id()));
        out.leaf("protocol", protocolName(s.protocol()) + " [" + s.protocol() + "]");
        out.leaf("protocol-number", Uint8.valueOf(s.protocol()));
        out.leaf("source-address", s.sourceAddressText());
        out.leaf("source-port", Uint16.valueOf(s.sourcePort()));
        out.leaf("destination-address", s.destinationAddressText());
        out.leaf("destination-port", Uint16.valueOf(s.destinationPort()));
        if (s.features().contains("snat")) {
            out.leaf("translated-address", s.translatedAddressText());
            out.leaf("translated-port", Uint16.valueOf(s.translatedPort()));
        }
        if (s.features().contains("dnat")) {
            out.leaf("translated-destination-address", s.translatedDestinationAddressText());
            out.leaf("translated-destination-port", Uint16.valueOf(s.translatedDestinationPort()));
        }
        out.leaf("state", s.state());
        out.leaf("timeout", Uint32.valueOf(Math.min(s.timeoutSeconds(), 0xFFFF_FFFFL)));
        out.leaf("interface", s.interfaceName());
        out.leaf("parent", Uint64.fromLongBits(s.parentId()));
        if (s.alg() != null) {
            out.leaf("alg", s.alg().yangName());
        }
        if (!s.features().isEmpty()) {
            out.features(s.features().stream().sorted().toList());
        }
        out.counters(s.packetsOriginal(), s.bytesOriginal(), s.packetsReply(), s.bytesReply());
    }

    static MapEntryNode entry(SessionView s) {
        var entry = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(key(s.id()));
        describe(s, new SessionFields() {
            @Override
            public void leaf(String name, Object value) {
                entry.withChild(SessionTableNodes.leaf(name, value));
            }

            @Override
            public void features(List<String> features) {
                QName feature = SessionTable.leaf("feature");
                var set = ImmutableNodes.<String>newSystemLeafSetBuilder().withNodeIdentifier(new NodeIdentifier(feature));
                features.forEach(f -> set.withChild(ImmutableNodes.<String>newLeafSetEntryBuilder()
                        .withNodeIdentifier(new NodeWithValue<>(feature, f)).withValue(f).build()));
                entry.withChild(set.build());
            }

            @Override
            public void counters(long packetsOriginal, long bytesOriginal, long packetsReply, long bytesReply) {
                entry.withChild(ImmutableNodes.newContainerBuilder()
                        .withNodeIdentifier(new NodeIdentifier(SessionTable.leaf("counters")))
                        .withChild(SessionTableNodes.leaf("packets-original", Uint64.fromLongBits(packetsOriginal)))
                        .withChild(SessionTableNodes.leaf("bytes-original", Uint64.fromLongBits(bytesOriginal)))
                        .withChild(SessionTableNodes.leaf("packets-reply", Uint64.fromLongBits(packetsReply)))
                        .withChild(SessionTableNodes.leaf("bytes-reply", Uint64.fromLongBits(bytesReply)))
                        .build());
            }
        });
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
