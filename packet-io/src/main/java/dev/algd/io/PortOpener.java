package dev.algd.io;

import dev.algd.io.linux.Netns;
import java.io.IOException;
import java.util.Set;

/**
 * Opens the {@link PacketPort} of a Linux device; the data plane calls it from {@link DataPlane#prepare} for every
 * device that is new in a config. The seam for other port types (TUN) and for tests.
 */
@FunctionalInterface
public interface PortOpener {

    /** Opens {@code device}; the exception says what is missing (the device, a privilege, kernel support). */
    PacketPort open(String device) throws IOException;

    /** AF_PACKET ports with TPACKET_V2 rings of {@code geometry}, opened in the calling thread's network namespace. */
    static PortOpener afPacket(RingGeometry geometry) {
        return device -> AfPacketPort.open(device, geometry);
    }

    /** The system property that picks the RX ring of {@link #afPacketWithVnetHeaders}: {@code v2} or {@code v3}. */
    String RX_RING_PROPERTY = "algd.packet.rx-ring";

    /**
     * AF_PACKET ports with PACKET_VNET_HDR and {@link RingGeometry#GSO} rings: GSO/GRO frames and partial checksums
     * pass through whole (design note packet-io.md, pitfalls 1 and 2). The daemon's default. The RX ring is
     * TPACKET_V2, or TPACKET_V3 blocks with {@code -Dalgd.packet.rx-ring=v3} (an experiment: packet-io.md says
     * what it measured and why V2 stays the default).
     *
     * @throws IllegalArgumentException if the property is neither {@code v2} nor {@code v3}
     */
    static PortOpener afPacketWithVnetHeaders() {
        String ring = System.getProperty(RX_RING_PROPERTY, "v2");
        AfPacketPort.RxRing rx = switch (ring) {
            case "v2" -> AfPacketPort.RxRing.FRAMES_V2;
            case "v3" -> AfPacketPort.RxRing.BLOCKS_V3;
            default -> throw new IllegalArgumentException("-D" + RX_RING_PROPERTY + "=" + ring
                    + ": the RX ring is v2 or v3");
        };
        return device -> AfPacketPort.open(device, RingGeometry.GSO, true, rx);
    }

    /**
     * {@link TunPort}s for the named devices, this opener for every other device: the daemon's {@code --tun} flag.
     * A device's port type is fixed for the daemon's life, so that config alone never turns a TUN into AF_PACKET.
     */
    default PortOpener withTunDevices(Set<String> tunDevices) {
        return withTun(tunDevices, false, 0);
    }

    /**
     * As {@link #withTunDevices(Set)}, for worker {@code worker} of several: each {@link #open} of a TUN device
     * attaches one more queue of it (IFF_MULTI_QUEUE), so that W workers, each opening its ports through its own
     * such opener, get one queue each of the same device, as {@link TunPort#openQueues} does at once. The kernel
     * numbers queues in attach order; {@code worker} names the queue in the log.
     */
    default PortOpener withTunQueues(Set<String> tunDevices, int worker) {
        return withTun(tunDevices, true, worker);
    }

    private PortOpener withTun(Set<String> tunDevices, boolean multiQueue, int queue) {
        Set<String> tun = Set.copyOf(tunDevices);
        PortOpener others = this;
        return tun.isEmpty() ? this
                : device -> tun.contains(device) ? TunPort.open(device, multiQueue, queue) : others.open(device);
    }

    /**
     * This opener, run inside the named network namespace ({@code ip netns add NAME}). The calling thread enters
     * it for the duration of each {@link #open} and returns afterwards; the sockets stay in that namespace, so the
     * worker can use them from any namespace. algd started with {@code ip netns exec NAME} does not need this.
     */
    default PortOpener inNamespace(String namespace) {
        PortOpener inner = this;
        return device -> {
            try (Netns ignored = Netns.enter(namespace)) {
                return inner.open(device);
            }
        };
    }
}
