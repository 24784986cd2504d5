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
        var frameDrops = new java.util.LinkedHashMap<String, Uint64>();
        for (FrameDropReason reason : FrameDropReason.values()) {
            frameDrops.put(YangData.name(reason), Uint64.fromLongBits(io.drops(reason)));
        }
        var engineDrops = new java.util.LinkedHashMap<String, Uint64>();
        for (DropReason reason : DropReason.values()) {
            engineDrops.put(YangData.name(reason), Uint64.fromLongBits(engine.drops(reason)));
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
                .withChild(YangData.counts(Interfaces.MODULE, "drop", "reason", engineDrops))
                .build();
        DataContainerNodeBuilder<NodeIdentifier, ContainerNode> state = ImmutableNodes.newContainerBuilder()
                .withNodeIdentifier(STATE)
                .withChild(ImmutableNodes.leafNode(Interfaces.node("workers"), Uint8.valueOf(workers)))
                .withChild(interfaces.build())
                .withChild(YangData.counts(Interfaces.MODULE, "frame-drop", "reason", frameDrops))
                .withChild(engineNode);
        if (!workerLinks.isEmpty()) {
            var links = new java.util.LinkedHashMap<String, Uint64>();
            workerLinks.forEach((name, count) -> links.put(name, Uint64.fromLongBits(count)));
            state.withChild(YangData.counts(Interfaces.MODULE, "worker-link", "name", links));
        }
        return state.build();
    }

    private static org.opendaylight.yangtools.yang.data.api.schema.LeafNode<Uint64> count(String leaf, long value) {
        return ImmutableNodes.leafNode(Interfaces.node(leaf), Uint64.fromLongBits(value));
    }
}
