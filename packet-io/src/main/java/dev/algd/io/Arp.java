package dev.algd.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ARP for IPv4 over Ethernet (RFC 826): a pure, total parser and its writer.
 *
 * <pre>
 *  0        2        4    5    6        8                 14          18                24          28
 * +--------+--------+----+----+--------+-----------------+-----------+-----------------+-----------+
 * | ar$hrd | ar$pro |hln |pln | ar$op  | ar$sha (6)      | ar$spa (4)| ar$tha (6)      | ar$tpa (4)|
 * |   1    | 0x0800 | 6  | 4  | 1 or 2 | sender MAC      | sender IP | target MAC      | target IP |
 * +--------+--------+----+----+--------+-----------------+-----------+-----------------+-----------+
 * </pre>
 * All fields are big-endian. Bytes after the 28th (Ethernet padding up to 60-byte frames) are ignored.
 */
public final class Arp {
    public static final int LENGTH = 28;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    static final int HARDWARE_ETHERNET = 1;
    static final int PROTOCOL_IPV4 = 0x0800;
    static final long HARDWARE_OFFSET = 0;
    static final long PROTOCOL_OFFSET = 2;
    static final long HARDWARE_LENGTH_OFFSET = 4;
    static final long PROTOCOL_LENGTH_OFFSET = 5;
    static final long OPERATION_OFFSET = 6;
    static final long SENDER_MAC_OFFSET = 8;
    static final long SENDER_ADDRESS_OFFSET = 14;
    static final long TARGET_MAC_OFFSET = 18;
    static final long TARGET_ADDRESS_OFFSET = 24;

    private Arp() {
    }

    /**
     * Reads the ARP packet in {@code [from, to)} into {@code out}. Never reads outside the bounds, never throws for
     * any bytes; {@code out} is meaningful only when the answer is {@link ArpReason#OK}.
     */
    public static ArpReason parse(MemorySegment segment, long from, long to, ArpMessage out) {
        if (to - from < LENGTH) {
            return ArpReason.TRUNCATED;
        }
        if ((segment.get(Ethernet.U16, from + HARDWARE_OFFSET) & 0xffff) != HARDWARE_ETHERNET) {
            return ArpReason.NOT_ETHERNET;
        }
        if ((segment.get(Ethernet.U16, from + PROTOCOL_OFFSET) & 0xffff) != PROTOCOL_IPV4) {
            return ArpReason.NOT_IPV4;
        }
        if (segment.get(ValueLayout.JAVA_BYTE, from + HARDWARE_LENGTH_OFFSET) != 6
                || segment.get(ValueLayout.JAVA_BYTE, from + PROTOCOL_LENGTH_OFFSET) != 4) {
            return ArpReason.BAD_ADDRESS_LENGTH;
        }
        int operation = segment.get(Ethernet.U16, from + OPERATION_OFFSET) & 0xffff;
        if (operation != OPERATION_REQUEST && operation != OPERATION_REPLY) {
            return ArpReason.UNKNOWN_OPERATION;
        }
        out.operation = operation;
        out.senderMac = Ethernet.readMac(segment, from + SENDER_MAC_OFFSET);
        out.senderAddress = segment.get(Ethernet.U32, from + SENDER_ADDRESS_OFFSET);
        out.targetMac = Ethernet.readMac(segment, from + TARGET_MAC_OFFSET);
        out.targetAddress = segment.get(Ethernet.U32, from + TARGET_ADDRESS_OFFSET);
        return ArpReason.OK;
    }

    /** Writes {@code message} as a 28-byte Ethernet/IPv4 ARP packet at {@code offset}; returns {@link #LENGTH}. */
    public static int write(MemorySegment segment, long offset, ArpMessage message) {
        segment.set(Ethernet.U16, offset + HARDWARE_OFFSET, (short) HARDWARE_ETHERNET);
        segment.set(Ethernet.U16, offset + PROTOCOL_OFFSET, (short) PROTOCOL_IPV4);
        segment.set(ValueLayout.JAVA_BYTE, offset + HARDWARE_LENGTH_OFFSET, (byte) 6);
        segment.set(ValueLayout.JAVA_BYTE, offset + PROTOCOL_LENGTH_OFFSET, (byte) 4);
        segment.set(Ethernet.U16, offset + OPERATION_OFFSET, (short) message.operation);
        Ethernet.writeMac(segment, offset + SENDER_MAC_OFFSET, message.senderMac);
        segment.set(Ethernet.U32, offset + SENDER_ADDRESS_OFFSET, message.senderAddress);
        Ethernet.writeMac(segment, offset + TARGET_MAC_OFFSET, message.targetMac);
        segment.set(Ethernet.U32, offset + TARGET_ADDRESS_OFFSET, message.targetAddress);
        return LENGTH;
    }
}
