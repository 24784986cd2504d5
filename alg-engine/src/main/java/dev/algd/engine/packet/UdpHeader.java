package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;

/**
 * A view of a UDP header (RFC 768). Reused per packet through {@link #wrap(MemorySegment, long)}.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |  0
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |  4
 * +--------+--------+--------+--------+
 * </pre>
 * Over IPv4 a checksum of zero means "none was computed" (RFC 768); a computed zero is sent as 0xFFFF.
 */
public final class UdpHeader {
    public static final int LENGTH = 8;
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private MemorySegment segment;
    private long offset;

    public UdpHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int sourcePort() {
        return segment.get(Ipv4Header.U16, offset + SOURCE_PORT_OFFSET) & 0xffff;
    }

    public void sourcePort(int port) {
        segment.set(Ipv4Header.U16, offset + SOURCE_PORT_OFFSET, (short) port);
    }

    public int destinationPort() {
        return segment.get(Ipv4Header.U16, offset + DESTINATION_PORT_OFFSET) & 0xffff;
    }

    public void destinationPort(int port) {
        segment.set(Ipv4Header.U16, offset + DESTINATION_PORT_OFFSET, (short) port);
    }

    /** Header plus data, in bytes. */
    public int length() {
        return segment.get(Ipv4Header.U16, offset + LENGTH_OFFSET) & 0xffff;
    }

    public void length(int length) {
        segment.set(Ipv4Header.U16, offset + LENGTH_OFFSET, (short) length);
    }

    public int checksum() {
        return segment.get(Ipv4Header.U16, offset + CHECKSUM_OFFSET) & 0xffff;
    }

    public void checksum(int checksum) {
        segment.set(Ipv4Header.U16, offset + CHECKSUM_OFFSET, (short) checksum);
    }
}
