package dev.algd.io;

/**
 * Why packet I/O dropped a frame, before or after the engine. The ordinal indexes the worker's drop counters, so
 * add values at the end. Drops decided by the engine are counted once here ({@link #ENGINE_VERDICT}) and by reason
 * in {@code dev.algd.engine.EngineCounters}.
 */
public enum FrameDropReason {
    /**
     * The frame was longer than its ring slot ({@code tp_snaplen < tp_len}): a GSO/GRO super-frame. Disable
     * GRO/LRO on algd's ports and TSO/GSO on virtual senders (design note packet-io.md, pitfall 2).
     */
    RX_TRUNCATED("frame larger than the ring slot (GSO/GRO super-frame; turn offloads off)"),
    /** Shorter than an Ethernet header. */
    RUNT("shorter than an Ethernet header"),
    /** An 802.1Q/802.1ad tag in the frame or reported by the NIC: VLANs are not supported yet. */
    VLAN_TAGGED("VLAN-tagged (not supported yet)"),
    /** Neither IPv4, IPv6 nor ARP (LLDP, ...): not served. */
    OTHER_ETHERTYPE("neither IPv4, IPv6 nor ARP"),
    /** An IPv4 frame to another host's Ethernet address (the device is promiscuous or bridged). */
    NOT_FOR_THIS_HOST("IPv4 frame to another host's Ethernet address"),
    /** An ARP packet {@link Arp#parse} refused. */
    ARP_MALFORMED("malformed ARP"),
    /** The engine returned DROP; its own counters say why. */
    ENGINE_VERDICT("dropped by the engine"),
    /** The engine chose an egress interface that has no port. */
    EGRESS_UNKNOWN("egress interface has no port"),
    /**
     * Longer than the egress device's MTU or a TX frame after the engine forwarded it: an ALG grew it (the engine
     * itself answers packets too long for their egress MTU with ICMP fragmentation needed, or drops them).
     */
    EXCEEDS_MTU("longer than the egress MTU"),
    /** Every TX frame of the egress port was still in flight. */
    TX_RING_FULL("egress TX ring full"),
    /** No free neighbour-table slot for a new next hop. */
    NEIGHBOUR_TABLE_FULL("neighbour table full"),
    /** The next hop already had the most packets held while its address is resolved. */
    NEIGHBOUR_QUEUE_FULL("too many packets waiting for ARP"),
    /** Every buffer for packets waiting for ARP was taken. */
    HOLD_BUFFERS_EXHAUSTED("no buffer left for packets waiting for ARP"),
    /** Held for a next hop that never answered ARP. */
    NEIGHBOUR_UNREACHABLE("next hop did not answer ARP"),
    /** Held for a next hop on an interface that was removed from the config. */
    INTERFACE_REMOVED("interface removed while the packet waited for ARP"),
    /** An unexpected exception while processing; logged once per distinct error. */
    INTERNAL_ERROR("internal error (see the log)"),
    /** A neighbour solicitation or advertisement {@link Ndp#parse} refused (RFC 4861 §7.1). */
    NDP_MALFORMED("malformed IPv6 neighbour discovery");

    private final String description;

    FrameDropReason(String description) {
        this.description = description;
    }

    /** A short text for operators. */
    public String description() {
        return description;
    }
}
