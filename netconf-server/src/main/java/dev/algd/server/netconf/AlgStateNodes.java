package dev.algd.server.netconf;

import dev.algd.engine.alg.AlgCounters;
import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.AlgStatistic;
import dev.algd.engine.alg.ExpectationView;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import dev.algd.server.model.Nodes.SystemAlg;
import java.util.List;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListEntryNode;
import org.opendaylight.yangtools.yang.data.api.schema.UnkeyedListNode;
import org.opendaylight.yangtools.yang.data.api.schema.builder.DataContainerNodeBuilder;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** Renders what the engine applies now as the {@code alg-state} subtree of algd-system. */
final class AlgStateNodes {
    static final QName ALG_STATE = SystemAlg.alg("alg-state");
    static final NodeIdentifier STATE = new NodeIdentifier(ALG_STATE);

    private AlgStateNodes() {
    }

    static ContainerNode algState(EngineConfig config, java.util.Set<AlgId> implemented, AlgCounters counters,
            List<ExpectationView> expectations) {
        QName alg = SystemAlg.alg("alg");
        QName name = SystemAlg.alg("name");
        var list = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(alg));
        for (AlgId id : AlgId.values()) {
            AlgSettings settings = config.alg(id);
            var entry = ImmutableNodes.newMapEntryBuilder()
                    .withNodeIdentifier(NodeIdentifierWithPredicates.of(alg, name, id.yangName()))
                    .withChild(ImmutableNodes.leafNode(name, id.yangName()))
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("enabled"), settings.enabled()))
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("implemented"), implemented.contains(id)));
            List<String> protocols = new java.util.ArrayList<>();
            if (id.isOnTcp()) {
                protocols.add("tcp");
            }
            if (id.isOnUdp()) {
                protocols.add("udp");
            }
            if (!protocols.isEmpty()) {
                entry.withChild(leafList("protocol", protocols));
            }
            List<Uint16> ports = settings.effectivePorts().stream().map(Uint16::valueOf).toList();
            if (!ports.isEmpty()) {
                entry.withChild(leafList("effective-port", ports));
            }
            List<Uint32> programs = settings.effectivePrograms().stream().map(Uint32::valueOf).toList();
            if (!programs.isEmpty()) {
                entry.withChild(leafList("effective-program", programs));
            }
            if (id != AlgId.ICMP) {
                entry.withChild(seconds("expectation-timeout", settings.timeouts().expectationSeconds()));
            }
            if (id == AlgId.SIP) {
                entry.withChild(seconds("invite-timeout", settings.timeouts().inviteSeconds()))
                        .withChild(seconds("media-inactivity-timeout", settings.timeouts().mediaInactivitySeconds()));
            }
            entry.withChild(algCounters(counters, id));
            list.withChild(entry.build());
        }
        QName event = SystemAlg.alg("event");
        var events = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(event));
        for (AlgEvent e : AlgEvent.values()) {
            String eventName = YangEnums.name(e);
            events.withChild(ImmutableNodes.newMapEntryBuilder()
                    .withNodeIdentifier(NodeIdentifierWithPredicates.of(event, name, eventName))
                    .withChild(ImmutableNodes.leafNode(name, eventName))
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("count"), Uint64.fromLongBits(counters.count(e))))
                    .build());
        }
        var framework = ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(new NodeIdentifier(SystemAlg.alg("framework-counters")))
                .withChild(ImmutableNodes.leafNode(SystemAlg.alg("expectations-active"),
                        Uint32.valueOf(counters.expectationsActive())))
                .withChild(events.build())
                .build();
        var state = ImmutableNodes.newContainerBuilder().withNodeIdentifier(STATE).withChild(list.build());
        if (!expectations.isEmpty()) {
            state.withChild(expectationList(expectations));
        }
        return state.withChild(framework).build();
    }

    private static UnkeyedListNode expectationList(List<ExpectationView> expectations) {
        NodeIdentifier expectation = new NodeIdentifier(SystemAlg.alg("expectation"));
        var list = ImmutableNodes.newUnkeyedListBuilder().withNodeIdentifier(expectation);
        for (ExpectationView view : expectations) {
            var entry = ImmutableNodes.newUnkeyedListEntryBuilder().withNodeIdentifier(expectation)
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("alg"), view.alg().yangName()))
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("parent-session-id"),
                            Uint64.fromLongBits(view.parentSessionId())))
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("protocol"), view.protocol() == 6 ? "tcp" : "udp"));
            optionalAddress(entry, "source-address", view.sourceAddress());
            optionalPort(entry, "source-port", view.sourcePort());
            optionalAddress(entry, "destination-address", view.destinationAddress());
            optionalPort(entry, "destination-port", view.destinationPort());
            optionalAddress(entry, "translated-source-address", view.translatedSourceAddress());
            optionalPort(entry, "translated-source-port", view.translatedSourcePort());
            optionalAddress(entry, "translated-destination-address", view.translatedDestinationAddress());
            optionalPort(entry, "translated-destination-port", view.translatedDestinationPort());
            entry.withChild(seconds("timeout", view.timeoutSeconds()))
                    .withChild(ImmutableNodes.leafNode(SystemAlg.alg("one-shot"), view.oneShot()));
            list.withChild(entry.build());
        }
        return list.build();
    }

    private static void optionalAddress(DataContainerNodeBuilder<NodeIdentifier, UnkeyedListEntryNode> entry,
            String leaf, String address) {
        if (address != null) {
            entry.withChild(ImmutableNodes.leafNode(SystemAlg.alg(leaf), address));
        }
    }

    private static void optionalPort(DataContainerNodeBuilder<NodeIdentifier, UnkeyedListEntryNode> entry,
            String leaf, int port) {
        if (port != ExpectationView.ANY) {
            entry.withChild(ImmutableNodes.leafNode(SystemAlg.alg(leaf), Uint16.valueOf(port)));
        }
    }

    private static org.opendaylight.yangtools.yang.data.api.schema.LeafNode<Uint32> seconds(String leaf, long value) {
        return ImmutableNodes.leafNode(SystemAlg.alg(leaf), Uint32.valueOf(value));
    }

    private static ContainerNode algCounters(AlgCounters counters, AlgId id) {
        var container = ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(new NodeIdentifier(SystemAlg.alg("counters")));
        for (AlgStatistic statistic : AlgStatistic.values()) {
            container.withChild(ImmutableNodes.leafNode(SystemAlg.alg(statistic.yangName()),
                    Uint64.fromLongBits(counters.count(id, statistic))));
        }
        return container.build();
    }

    private static <T> LeafSetNode<T> leafList(String leaf, List<T> values) {
        QName name = SystemAlg.alg(leaf);
        var set = ImmutableNodes.<T>newSystemLeafSetBuilder().withNodeIdentifier(new NodeIdentifier(name));
        for (T value : values) {
            set.withChild(ImmutableNodes.<T>newLeafSetEntryBuilder().withNodeIdentifier(new NodeWithValue<>(name, value))
                    .withValue(value).build());
        }
        return set.build();
    }
}
