package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;

/**
 * A view of a GRE header: version 0 (RFC 2784 with the key and sequence number of RFC 2890) and the enhanced
 * version 1 of PPTP (RFC 2637 §4.1). Reused per packet through {@link #wrap(MemorySegment, long)}; call
 * {@link #validate(long)} before any accessor but the first word's.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * version 0, each word present only when its bit is set, in this order:
 * |      Checksum (C)             |       Reserved1 (C)           |
 * |                         Key (K, RFC 2890 §2.1)                |
 * |                 Sequence Number (S, RFC 2890 §2.2)            |
 * version 1 (PPTP; K always set, C R s Recur and Flags clear, A only in version 1):
 * |    Payload Length (key high)  |      Call ID (key low)        |
 * |                 Sequence Number (S)                           |
 * |               Acknowledgment Number (A)                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The version 0 checksum covers the GRE header and payload only (RFC 2784 §2.5), so address translation never
 * changes it. The version 1 call id is the peer's: each direction of a PPTP call carries the call id its receiver
 * chose (RFC 2637 §4.1, "Call ID: contains the Peer's Call ID for the session to which this packet belongs").
 */
public final class GreHeader {
    public static final int PROTOCOL = 47;
    public static final int BASE_LENGTH = 4;
    public static final int VERSION_0 = 0;
    public static final int VERSION_PPTP = 1;
    /** RFC 2637 §4.1: the protocol type of every version 1 packet. */
    public static final int PROTOCOL_TYPE_PPP = 0x880B;

    static final int FLAG_CHECKSUM = 0x8000;
    static final int FLAG_ROUTING = 0x4000;
    static final int FLAG_KEY = 0x2000;
    static final int FLAG_SEQUENCE = 0x1000;
    /** Strict source route and the three recursion bits (RFC 1701), zero in RFC 2784 and RFC 2637 alike. */
    static final int FLAGS_SOURCE_ROUTE_RECURSION = 0x0f00;
    static final int FLAG_ACKNOWLEDGMENT = 0x0080;
    static final int FLAGS_RESERVED = 0x0078;
    static final int VERSION_MASK = 0x0007;
    static final int CALL_ID_OFFSET = 6;

    private MemorySegment segment;
    private long offset;
    private int headerLength;

    public GreHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        this.headerLength = 0;
        return this;
    }

    /**
     * Checks the header against the {@code available} bytes from the view's offset: version, the flags the version
     * allows and room for every optional field they announce. Never reads outside {@code [offset, offset +
     * available)}. Version 0 leaves the strict source route and recursion bits alone, as Linux does: they change
     * no field's position and forwarding does not depend on them.
     */
    public GreReason validate(long available) {
        headerLength = 0;
        if (available < BASE_LENGTH) {
            return GreReason.TRUNCATED;
        }
        int flags = flagsAndVersion();
        int version = flags & VERSION_MASK;
        if (version > VERSION_PPTP) {
            return GreReason.UNSUPPORTED_VERSION;
        }
        if ((flags & FLAG_ROUTING) != 0) {
            return GreReason.ROUTING_PRESENT;
        }
        int length = BASE_LENGTH;
        if (version == VERSION_0) {
            length += (flags & FLAG_CHECKSUM) != 0 ? 4 : 0;
        } else {
            if ((flags & (FLAG_CHECKSUM | FLAGS_SOURCE_ROUTE_RECURSION | FLAGS_RESERVED)) != 0
                    || (flags & FLAG_KEY) == 0) {
                return GreReason.PPTP_BAD_FLAGS;
            }
            if (protocolType() != PROTOCOL_TYPE_PPP) {
                return GreReason.PPTP_NOT_PPP;
            }
            length += (flags & FLAG_ACKNOWLEDGMENT) != 0 ? 4 : 0;
        }
        length += (flags & FLAG_KEY) != 0 ? 4 : 0;
        length += (flags & FLAG_SEQUENCE) != 0 ? 4 : 0;
        if (available < length) {
            return GreReason.TRUNCATED;
        }
        headerLength = length;
        return GreReason.OK;
    }

    /** The first 16 bits: flags in the high 13, the version in the low 3. */
    public int flagsAndVersion() {
        return segment.get(Ipv4Header.U16, offset) & 0xffff;
    }

    public int version() {
        return flagsAndVersion() & VERSION_MASK;
    }

    public int protocolType() {
        return segment.get(Ipv4Header.U16, offset + 2) & 0xffff;
    }

    /** The header's length with its optional fields, once {@link #validate} answered OK; 0 before. */
    public int headerLength() {
        return headerLength;
    }

    public boolean hasChecksum() {
        return (flagsAndVersion() & FLAG_CHECKSUM) != 0;
    }

    public boolean hasKey() {
        return (flagsAndVersion() & FLAG_KEY) != 0;
    }

    public boolean hasSequenceNumber() {
        return (flagsAndVersion() & FLAG_SEQUENCE) != 0;
    }

    /** Version 1 only: the A bit (RFC 2637 §4.1). */
    public boolean hasAcknowledgmentNumber() {
        return version() == VERSION_PPTP && (flagsAndVersion() & FLAG_ACKNOWLEDGMENT) != 0;
    }

    /** Version 0 with C set: the checksum over the GRE header and payload (RFC 2784 §2.5). */
    public int checksum() {
        return segment.get(Ipv4Header.U16, offset + BASE_LENGTH) & 0xffff;
    }

    /** The 32-bit key (version 0 with K set; in version 1 the payload length and call id). */
    public long key() {
        return segment.get(Ipv4Header.U32, offset + keyOffset()) & 0xffff_ffffL;
    }

    /** Version 1: the receiver's call id, the low half of the key. */
    public int callId() {
        return segment.get(Ipv4Header.U16, offset + CALL_ID_OFFSET) & 0xffff;
    }

    /** Version 1: the length of the payload after the GRE header, the high half of the key. */
    public int payloadLength() {
        return segment.get(Ipv4Header.U16, offset + BASE_LENGTH) & 0xffff;
    }

    public long sequenceNumber() {
        return segment.get(Ipv4Header.U32, offset + keyOffset() + (hasKey() ? 4 : 0)) & 0xffff_ffffL;
    }

    /** Version 1 with A set: the last sequence number the sender received; it follows any sequence number. */
    public long acknowledgmentNumber() {
        return segment.get(Ipv4Header.U32, offset + headerLength - 4) & 0xffff_ffffL;
    }

    private int keyOffset() {
        return BASE_LENGTH + (version() == VERSION_0 && hasChecksum() ? 4 : 0);
    }
}
