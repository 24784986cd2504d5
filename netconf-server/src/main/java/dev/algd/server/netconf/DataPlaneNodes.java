package dev.algd.server.netconf;

import dev.algd.engine.DropReason;
import dev.algd.engine.EngineCounters;
import dev.algd.io.DataPlaneCounters;
import dev.algd.io.FrameDropReason;
import dev.algd.io.PortCounters;
import dev.algd.server.model.Nodes.Interfaces;
import java.util.Map;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.Uint32;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.common.Uint8;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.builder.DataContainerNodeBuilder;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** Renders the data path's counters (packet I/O per interface, the engine's verdicts) as algd-interfaces' {@code data-plane}. */
final class DataPlaneNodes {
    static final NodeIdentifier STATE = new NodeIdentifier(Interfaces.DATA_PLANE);

    private DataPlaneNodes() {
    }

    static ContainerNode dataPlane(int workers, DataPlaneCounters io, EngineCounters engine,
            Map<String, Long> workerLinks) {
        QName iface = Interfaces.node("interface");
        var interfaces = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(iface));
        for (PortCounters port : io.ports()) {
            interfaces.withChild(ImmutableNodes.newMapEntryBuilder()
                    .withNodeIdentifier(NodeIdentifierWithPredicates.of(iface, Interfaces.NAME, port.interfaceName()))
                    .withChild(ImmutableNodes.leafNode(Interfaces.NAME, port.interfaceName()))
                    .withChild(ImmutableNodes.leafNode(Interfaces.DEVICE, port.device()))
                    .withChild(count("rx-frames", port.rxFrames()))
                    .withChild(count("rx-bytes", port.rxBytes()))
                    .withChild(count("tx-frames", port.txFrames()))
                    .withChild(count("tx-bytes", port.txBytes()))
                    .withChild(count("kernel-drops", port.kernelDrops()))
                    .withChild(count("checksums-completed", port.checksumsCompleted()))
                    .withChild(count("arp-replies-sent", port.arpRepliesSent()))
                    .withChild(count("arp-requests-sent", port.arpRequestsSent()))
                    .withChild(count("arp-announcements-sent", port.arpAnnouncementsSent()))
                    .withChild(count("address-conflicts", port.addressConflicts()))
                    .withChild(ImmutableNodes.leafNode(Interfaces.node("neighbours"), Uint32.valueOf(port.neighbours())))
                    .withChild(ImmutableNodes.leafNode(Interfaces.node("held-packets"),
                            Uint32.valueOf(port.heldPackets())))
                    .withChild(count("tx-flush-failures", port.txFlushFailures()))
                    .withChild(count("socket-errors", port.socketErrors()))
                    .build());
        }
        var frameDrops = new java.util.LinkedHashMap<String, Long>();
        for (FrameDropReason reason : FrameDropReason.values()) {
            frameDrops.put(YangEnums.name(reason), io.drops(reason));
        }
        var engineDrops = new java.util.LinkedHashMap<String, Long>();
        for (DropReason reason : DropReason.values()) {
            engineDrops.put(YangEnums.name(reason), engine.drops(reason));
        }
        ContainerNode engineNode = ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(new NodeIdentifier(Interfaces.node("engine")))
                .withChild(count("packets-received", engine.packetsReceived()))
                .withChild(count("packets-forwarded", engine.packetsForwarded()))
                .withChild(count("packets-dropped", engine.packetsDropped()))
                .withChild(count("echo-replies-sent", engine.echoRepliesSent()))
                .withChild(count("sessions-created", engine.sessionsCreated()))
                .withChild(count("sessions-expired", engine.sessionsExpired()))
                .withChild(count("sessions-evicted", engine.sessionsEvicted()))
                .withChild(counts("drop", "reason", engineDrops))
                .build();
        DataContainerNodeBuilder<NodeIdentifier, ContainerNode> state = ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(STATE)
                .withChild(ImmutableNodes.leafNode(Interfaces.node("workers"), Uint8.valueOf(workers)))
                .withChild(interfaces.build())
                .withChild(counts("frame-drop", "reason", frameDrops))
                .withChild(engineNode);
        if (!workerLinks.isEmpty()) {
            state.withChild(counts("worker-link", "name", workerLinks));
        }
        return state.build();
    }

    private static org.opendaylight.yangtools.yang.data.api.schema.LeafNode<Uint64> count(String leaf, long value) {
        return ImmutableNodes.leafNode(Interfaces.node(leaf), Uint64.fromLongBits(value));
    }

    /** A list keyed by {@code key} with a {@code count} leaf per entry. */
    private static MapNode counts(String list, String key, Map<String, Long> values) {
        QName listName = Interfaces.node(list);
        QName keyName = Interfaces.node(key);
        var map = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(new NodeIdentifier(listName));
        values.forEach((name, value) -> map.withChild(ImmutableNodes.newMapEntryBuilder()
                .withNodeIdentifier(NodeIdentifierWithPredicates.of(listName, keyName, name))
                .withChild(ImmutableNodes.leafNode(keyName, name))
                .withChild(count("count", value))
                .build()));
        return map.build();
    }
}
