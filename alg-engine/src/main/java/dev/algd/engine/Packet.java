package dev.algd.engine;

import java.lang.foreign.MemorySegment;

/**
 * One per worker, reused for every packet: the buffer, the IPv4 packet in it, and the decision. packet-io fills
 * the first four fields before {@link Engine#process}; the engine sets the last two when it returns
 * {@link Verdict#FORWARD}.
 */
public final class Packet {
    /** The buffer (off-heap ring frame or scratch segment). */
    public MemorySegment segment;
    /** Where the IPv4 header starts in {@link #segment}. */
    public long offset;
    /** Bytes of the IP packet (L3) from {@link #offset}; may exceed the IPv4 total length (Ethernet padding). */
    public int length;
    /** Data-path index of the interface the packet arrived on: its position in {@code EngineConfig.interfaces()}. */
    public int ingressInterface;
    /** Set on FORWARD: the data-path index of the interface to send on. */
    public int egressInterface;
    /** Set on FORWARD: the IPv4 neighbour to send to (the destination itself when on-link), host order. */
    public int nextHop;
}
