package dev.algd.engine;

import java.lang.foreign.MemorySegment;

/**
 * One per worker, reused for every packet: the buffer, the IPv4 or IPv6 packet in it, and the decision. packet-io fills
 * the first four fields (and {@link #capacity} when the buffer has room to spare) before {@link Engine#process}; the engine sets the last two when it returns
 * {@link Verdict#FORWARD}.
 */
public final class Packet {
    /** The buffer (off-heap ring frame or scratch segment). */
    public MemorySegment segment;
    /** Where the IP header starts in {@link #segment}. */
    public long offset;
    /** Bytes of the IP packet (L3) from {@link #offset}; may exceed the IPv4 total length (Ethernet padding). */
    public int length;
    /**
     * Bytes from {@link #offset} the packet may grow into when an ALG rewrites its payload to something longer
     * (the rest of the ring frame or scratch buffer). 0, the default, means {@link #length}: the packet cannot grow,
     * and a longer rewrite is refused and counted. Bounded by the segment's size in any case. When the engine changes
     * the packet's length it sets {@link #length} to the new IPv4 total length.
     */
    public int capacity;
    /** Data-path index of the interface the packet arrived on: its position in {@code EngineConfig.interfaces()}. */
    public int ingressInterface;
    /** Set on FORWARD: the data-path index of the interface to send on. */
    public int egressInterface;
    /** Set on FORWARD of an IPv4 packet: the neighbour to send to (the destination itself when on-link), host order. */
    public int nextHop;
    /** Set on FORWARD of an IPv6 packet: the high 64 bits of the neighbour to send to (the destination when on-link). */
    public long nextHopHigh;
    /** Set on FORWARD of an IPv6 packet: the low 64 bits of the neighbour to send to. */
    public long nextHopLow;
}
