package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A view of an IPv4 header (RFC 791 §3.1) somewhere in a segment. One instance per worker is pointed at each
 * packet with {@link #wrap(MemorySegment, long)}. Multi-byte fields are big-endian and unaligned; unsigned
 * fields are widened to {@code int}. Addresses are host-order {@code int}s.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    | 20 (IHL > 5)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Flags: bit 0 reserved, bit 1 DF (don't fragment), bit 2 MF (more fragments).
 * </pre>
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;

    static final int FLAG_DONT_FRAGMENT = 0x4000;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long offset;

    /** Points this view at the header that starts at {@code offset}; nothing is read yet. */
    public Ipv4Header wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks the header against the {@code available} bytes from {@link #offset()}: version, IHL, total length,
     * header checksum and fragmentation. Never reads outside {@code [offset, offset + available)}.
     */
    public Ipv4Reason validate(long available) {
        if (available < MIN_LENGTH) {
            return Ipv4Reason.TRUNCATED;
        }
        if (version() != 4) {
            return Ipv4Reason.NOT_VERSION_4;
        }
        int headerLength = headerLength();
        if (headerLength < MIN_LENGTH) {
            return Ipv4Reason.HEADER_LENGTH_BELOW_5;
        }
        if (headerLength > available) {
            return Ipv4Reason.TRUNCATED;
        }
        int totalLength = totalLength();
        if (totalLength < headerLength || totalLength > available) {
            return Ipv4Reason.BAD_TOTAL_LENGTH;
        }
        if (Checksums.fold(Checksums.sum(segment, offset, headerLength, 0)) != 0xffff) {
            return Ipv4Reason.BAD_HEADER_CHECKSUM;
        }
        if (isFragment()) {
            return Ipv4Reason.FRAGMENT;
        }
        return Ipv4Reason.OK;
    }

    public int version() {
        return (segment.get(ValueLayout.JAVA_BYTE, offset + VERSION_IHL_OFFSET) & 0xf0) >>> 4;
    }

    /** The header length in bytes: IHL (32-bit words) times four. */
    public int headerLength() {
        return (segment.get(ValueLayout.JAVA_BYTE, offset + VERSION_IHL_OFFSET) & 0x0f) << 2;
    }

    public int typeOfService() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + TOS_OFFSET) & 0xff;
    }

    public int totalLength() {
        return segment.get(U16, offset + TOTAL_LENGTH_OFFSET) & 0xffff;
    }

    /** Sets the total length; the caller updates the header checksum. */
    public void totalLength(int length) {
        segment.set(U16, offset + TOTAL_LENGTH_OFFSET, (short) length);
    }

    public int identification() {
        return segment.get(U16, offset + IDENTIFICATION_OFFSET) & 0xffff;
    }

    public boolean isDontFragment() {
        return (segment.get(U16, offset + FLAGS_FRAGMENT_OFFSET) & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean isMoreFragments() {
        return (segment.get(U16, offset + FLAGS_FRAGMENT_OFFSET) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** The fragment offset in 8-byte units. */
    public int fragmentOffset() {
        return segment.get(U16, offset + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK;
    }

    /** Whether this packet is any fragment of a larger datagram (first, middle or last). */
    public boolean isFragment() {
        return (segment.get(U16, offset + FLAGS_FRAGMENT_OFFSET) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + TTL_OFFSET) & 0xff;
    }

    public void ttl(int ttl) {
        segment.set(ValueLayout.JAVA_BYTE, offset + TTL_OFFSET, (byte) ttl);
    }

    public int protocol() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + PROTOCOL_OFFSET) & 0xff;
    }

    /** The 16-bit word at offset 8, TTL in the high byte and protocol in the low: the unit the checksum sees. */
    public int ttlProtocolWord() {
        return segment.get(U16, offset + TTL_OFFSET) & 0xffff;
    }

    public int checksum() {
        return segment.get(U16, offset + CHECKSUM_OFFSET) & 0xffff;
    }

    public void checksum(int checksum) {
        segment.set(U16, offset + CHECKSUM_OFFSET, (short) checksum);
    }

    public int sourceAddress() {
        return segment.get(U32, offset + SOURCE_OFFSET);
    }

    public void sourceAddress(int address) {
        segment.set(U32, offset + SOURCE_OFFSET, address);
    }

    public int destinationAddress() {
        return segment.get(U32, offset + DESTINATION_OFFSET);
    }

    public void destinationAddress(int address) {
        segment.set(U32, offset + DESTINATION_OFFSET, address);
    }

    /** Where the payload (the L4 header) starts in {@link #segment()}. */
    public long payloadOffset() {
        return offset + headerLength();
    }
}
