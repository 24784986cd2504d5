package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A view of an IPv6 header (RFC 8200 §3) and its chain of extension headers (§4) somewhere in a segment. One
 * instance per worker is pointed at each packet with {@link #wrap(MemorySegment, long)}; {@link #validate(long)}
 * walks the extension headers once and remembers where the upper-layer header starts. Addresses are two
 * {@code long}s each, the high and the low 64 bits in network order, so nothing is allocated per packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Source Address (128 bits)             |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Destination Address (128 bits)           | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | extension headers: Next Header | Hdr Ext Len (8-octet units, not counting the first 8) | ...   40
 * fragment header: Next Header | reserved | Fragment Offset (13 bits) | Res | M | Identification (32)
 * </pre>
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;
    public static final int VERSION = 6;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_OFFSET = 8;
    public static final int DESTINATION_OFFSET = 24;

    public static final int NEXT_HEADER_HOP_BY_HOP = 0;
    public static final int NEXT_HEADER_ROUTING = 43;
    public static final int NEXT_HEADER_FRAGMENT = 44;
    public static final int NEXT_HEADER_DESTINATION_OPTIONS = 60;
    public static final int PROTOCOL_ICMPV6 = 58;
    /** Upper-layer protocols share IPv4's numbers (RFC 8200 §4). */
    public static final int NEXT_HEADER_TCP = Ipv4Header.PROTOCOL_TCP;
    public static final int NEXT_HEADER_UDP = Ipv4Header.PROTOCOL_UDP;
    /**
     * Extension headers walked at most. RFC 8200 §4.1 recommends at most one of each kind (two destination
     * options), which makes six; RFC 8504 §5.3 lets a node refuse a chain beyond a limit of its own. Packets past
     * it are dropped, so the walk is bounded whatever the packet holds.
     */
    public static final int MAX_EXTENSION_HEADERS = 8;

    static final int FRAGMENT_HEADER_LENGTH = 8;
    private static final int FRAGMENT_OFFSET_MORE_MASK = 0xfff9;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long offset;
    private int protocol;
    private int upperLayerOffset;

    /** Points this view at the header that starts at {@code offset}; nothing is read yet. */
    public Ipv6Header wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        this.protocol = -1;
        this.upperLayerOffset = LENGTH;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks the header against the {@code available} bytes from {@link #offset()} and walks the extension headers
     * (hop-by-hop, routing, fragment, destination options) to the upper-layer header: afterwards {@link #protocol()}
     * is its next-header value and {@link #upperLayerOffset()} its position. Never reads outside
     * {@code [offset, offset + 40 + payload length)}, and examines at most {@link #MAX_EXTENSION_HEADERS} headers.
     */
    public Ipv6Reason validate(long available) {
        if (available < LENGTH) {
            return Ipv6Reason.TRUNCATED;
        }
        if (version() != VERSION) {
            return Ipv6Reason.NOT_VERSION_6;
        }
        int payloadLength = payloadLength();
        if (payloadLength == 0 || LENGTH + (long) payloadLength > available) {
            return Ipv6Reason.BAD_PAYLOAD_LENGTH;
        }
        int end = LENGTH + payloadLength;
        int next = segment.get(ValueLayout.JAVA_BYTE, offset + NEXT_HEADER_OFFSET) & 0xff;
        int at = LENGTH;
        for (int n = 0; ; n++) {
            if (!isExtensionHeader(next)) {
                protocol = next;
                upperLayerOffset = at;
                return Ipv6Reason.OK;
            }
            // RFC 8200 §4.3: the hop-by-hop header may only follow the IPv6 header itself.
            if (n == MAX_EXTENSION_HEADERS || next == NEXT_HEADER_HOP_BY_HOP && n > 0) {
                return Ipv6Reason.BAD_EXTENSION_HEADER_CHAIN;
            }
            if (end - at < 8) {
                return Ipv6Reason.TRUNCATED;
            }
            long header = offset + at;
            int length;
            if (next == NEXT_HEADER_FRAGMENT) {
                int offsetAndMore = Short.toUnsignedInt(segment.get(Ipv4Header.U16, header + 2));
                if ((offsetAndMore & FRAGMENT_OFFSET_MORE_MASK) != 0) {
                    return Ipv6Reason.FRAGMENT;
                }
                length = FRAGMENT_HEADER_LENGTH;
            } else {
                length = ((segment.get(ValueLayout.JAVA_BYTE, header + 1) & 0xff) + 1) * 8;
                if (next == NEXT_HEADER_ROUTING && (segment.get(ValueLayout.JAVA_BYTE, header + 3) & 0xff) != 0) {
                    return Ipv6Reason.ROUTING_HEADER_SEGMENTS_LEFT;
                }
            }
            if (end - at < length) {
                return Ipv6Reason.TRUNCATED;
            }
            next = segment.get(ValueLayout.JAVA_BYTE, header) & 0xff;
            at += length;
        }
    }

    private static boolean isExtensionHeader(int nextHeader) {
        return nextHeader == NEXT_HEADER_HOP_BY_HOP || nextHeader == NEXT_HEADER_ROUTING
                || nextHeader == NEXT_HEADER_FRAGMENT || nextHeader == NEXT_HEADER_DESTINATION_OPTIONS;
    }

    public int version() {
        return (segment.get(ValueLayout.JAVA_BYTE, offset) & 0xff) >>> 4;
    }

    /** Bytes after the fixed 40-byte header, extension headers included. */
    public int payloadLength() {
        return Short.toUnsignedInt(segment.get(Ipv4Header.U16, offset + PAYLOAD_LENGTH_OFFSET));
    }

    public void payloadLength(int length) {
        segment.set(Ipv4Header.U16, offset + PAYLOAD_LENGTH_OFFSET, (short) length);
    }

    /** The whole packet: fixed header plus payload. */
    public int totalLength() {
        return LENGTH + payloadLength();
    }

    public int hopLimit() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + HOP_LIMIT_OFFSET) & 0xff;
    }

    public void hopLimit(int hopLimit) {
        segment.set(ValueLayout.JAVA_BYTE, offset + HOP_LIMIT_OFFSET, (byte) hopLimit);
    }

    /** After {@link #validate}: the upper-layer protocol (TCP 6, UDP 17, ICMPv6 58, ...). */
    public int protocol() {
        return protocol;
    }

    /** After {@link #validate}: where the upper-layer header starts, from {@link #offset()}. */
    public int upperLayerOffset() {
        return upperLayerOffset;
    }

    /** After {@link #validate}: the absolute position of the upper-layer header in {@link #segment()}. */
    public long payloadOffset() {
        return offset + upperLayerOffset;
    }

    /** After {@link #validate}: bytes of the upper-layer header and its data (the pseudo-header's length). */
    public int upperLayerLength() {
        return LENGTH + payloadLength() - upperLayerOffset;
    }

    public long sourceHigh() {
        return segment.get(U64, offset + SOURCE_OFFSET);
    }

    public long sourceLow() {
        return segment.get(U64, offset + SOURCE_OFFSET + 8);
    }

    public void source(long high, long low) {
        segment.set(U64, offset + SOURCE_OFFSET, high);
        segment.set(U64, offset + SOURCE_OFFSET + 8, low);
    }

    public long destinationHigh() {
        return segment.get(U64, offset + DESTINATION_OFFSET);
    }

    public long destinationLow() {
        return segment.get(U64, offset + DESTINATION_OFFSET + 8);
    }

    public void destination(long high, long low) {
        segment.set(U64, offset + DESTINATION_OFFSET, high);
        segment.set(U64, offset + DESTINATION_OFFSET + 8, low);
    }
}
