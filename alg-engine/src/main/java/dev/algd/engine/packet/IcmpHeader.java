package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A view of an ICMP header (RFC 792), with the echo fields. Reused per packet through
 * {@link #wrap(MemorySegment, long)}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  4  (echo, type 8 and 0)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * </pre>
 * The IPv4 ICMP checksum covers the ICMP message only, with no pseudo-header; the ICMPv6 one includes it. RFC 5508 §3.1: a NAT treats
 * the echo identifier like a transport port.
 */
public final class IcmpHeader {
    public static final int ECHO_LENGTH = 8;
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_ECHO_REQUEST = 8;
    /** RFC 792 errors; code 4 of destination unreachable is "fragmentation needed and DF set" (RFC 1191). */
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    /**
     * ICMPv6 (RFC 4443) has the same layout with other type numbers, and its checksum covers the IPv6
     * pseudo-header. Errors are types 0..127, informational messages 128..255 (§2.1).
     */
    public static final int V6_TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int V6_TYPE_PACKET_TOO_BIG = 2;
    public static final int V6_TYPE_TIME_EXCEEDED = 3;
    public static final int V6_TYPE_PARAMETER_PROBLEM = 4;
    public static final int V6_TYPE_ECHO_REQUEST = 128;
    public static final int V6_TYPE_ECHO_REPLY = 129;
    /** RFC 792: type, code, checksum and 4 bytes (unused, pointer, or the next-hop MTU of RFC 1191), then the quote. */
    public static final int ERROR_HEADER_LENGTH = 8;
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;

    private MemorySegment segment;
    private long offset;

    public IcmpHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int type() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + TYPE_OFFSET) & 0xff;
    }

    public void type(int type) {
        segment.set(ValueLayout.JAVA_BYTE, offset + TYPE_OFFSET, (byte) type);
    }

    public int code() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + CODE_OFFSET) & 0xff;
    }

    /** The 16-bit word at offset 0, type in the high byte and code in the low: the unit the checksum sees. */
    public int typeCodeWord() {
        return segment.get(Ipv4Header.U16, offset + TYPE_OFFSET) & 0xffff;
    }

    public int checksum() {
        return segment.get(Ipv4Header.U16, offset + CHECKSUM_OFFSET) & 0xffff;
    }

    public void checksum(int checksum) {
        segment.set(Ipv4Header.U16, offset + CHECKSUM_OFFSET, (short) checksum);
    }

    public int identifier() {
        return segment.get(Ipv4Header.U16, offset + IDENTIFIER_OFFSET) & 0xffff;
    }

    public void identifier(int identifier) {
        segment.set(Ipv4Header.U16, offset + IDENTIFIER_OFFSET, (short) identifier);
    }

    public int sequenceNumber() {
        return segment.get(Ipv4Header.U16, offset + SEQUENCE_OFFSET) & 0xffff;
    }
}
