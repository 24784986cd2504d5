package dev.algd.io;

import dev.algd.engine.packet.Checksums;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Neighbour solicitations and advertisements (RFC 4861 §4.3, §4.4) in whole IPv6 packets: what the L2 adapter
 * needs to answer for its addresses and to resolve next hops, as ARP does for IPv4. Other options than the
 * link-layer address ones are skipped; redirects and router discovery are not handled.
 * <pre>
 *  IPv6 header (40, next header 58, hop limit 255)
 *  | type 135/136 | code 0 | checksum | R S O reserved (NA) / reserved (NS) | target address (16) | options ...
 *  option: | type 1 (source LLA) or 2 (target LLA) | length 1 (8-octet units) | MAC (6) |
 * </pre>
 */
public final class Ndp {
    public static final int TYPE_NEIGHBOUR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOUR_ADVERTISEMENT = 136;
    /** Header, target address and one link-layer address option. */
    public static final int MESSAGE_LENGTH = 32;
    static final int IPV6_HEADER = 40;
    static final int PROTOCOL_ICMPV6 = 58;
    static final int HOP_LIMIT = 255;
    static final int OPTION_SOURCE_LINK_LAYER = 1;
    static final int OPTION_TARGET_LINK_LAYER = 2;
    static final int FLAG_ROUTER = 0x8000_0000;
    static final int FLAG_SOLICITED = 0x4000_0000;
    static final int FLAG_OVERRIDE = 0x2000_0000;
    /** ff02::1:ff00:0/104, the solicited-node multicast prefix (RFC 4291 §2.7.1). */
    static final long SOLICITED_NODE_HIGH = 0xff02_0000_0000_0000L;
    static final long SOLICITED_NODE_LOW = 0x0000_0001_ff00_0000L;
    /** ff02::1, all nodes. */
    static final long ALL_NODES_HIGH = 0xff02_0000_0000_0000L;
    static final long ALL_NODES_LOW = 1L;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Ndp() {
    }

    /** The low half of the solicited-node multicast address of an address whose low half is {@code low}. */
    static long solicitedNodeLow(long low) {
        return SOLICITED_NODE_LOW | low & 0xff_ffffL;
    }

    /**
     * Reads the IPv6 packet {@code [from, to)} as a neighbour solicitation or advertisement into {@code out}, checking
     * what RFC 4861 §7.1.1 and §7.1.2 ask (hop limit 255, code 0, ICMPv6 checksum, option lengths not zero). Never
     * reads outside the bounds, never throws.
     */
    public static NdpReason parse(MemorySegment segment, long from, long to, NdpMessage out) {
        if (to - from < IPV6_HEADER + 24) {
            return NdpReason.TRUNCATED;
        }
        int payloadLength = segment.get(Ethernet.U16, from + 4) & 0xffff;
        if (IPV6_HEADER + (long) payloadLength > to - from || payloadLength < 24) {
            return NdpReason.TRUNCATED;
        }
        int type = segment.get(ValueLayout.JAVA_BYTE, from + IPV6_HEADER) & 0xff;
        if ((segment.get(ValueLayout.JAVA_BYTE, from) & 0xf0) != 0x60
                || (segment.get(ValueLayout.JAVA_BYTE, from + 6) & 0xff) != PROTOCOL_ICMPV6
                || type != TYPE_NEIGHBOUR_SOLICITATION && type != TYPE_NEIGHBOUR_ADVERTISEMENT) {
            return NdpReason.NOT_NEIGHBOUR_DISCOVERY;
        }
        if ((segment.get(ValueLayout.JAVA_BYTE, from + 7) & 0xff) != HOP_LIMIT
                || segment.get(ValueLayout.JAVA_BYTE, from + IPV6_HEADER + 1) != 0) {
            return NdpReason.INVALID;
        }
        out.sourceHigh = segment.get(U64, from + 8);
        out.sourceLow = segment.get(U64, from + 16);
        out.destinationHigh = segment.get(U64, from + 24);
        out.destinationLow = segment.get(U64, from + 32);
        long icmp = from + IPV6_HEADER;
        long sum = Checksums.sum(segment, icmp, payloadLength, Checksums.pseudoHeaderSum6(out.sourceHigh,
                out.sourceLow, out.destinationHigh, out.destinationLow, PROTOCOL_ICMPV6, payloadLength));
        if (Checksums.fold(sum) != 0xffff) {
            return NdpReason.BAD_CHECKSUM;
        }
        out.type = type;
        out.isSolicited = (segment.get(Ethernet.U32, icmp + 4) & FLAG_SOLICITED) != 0;
        out.targetHigh = segment.get(U64, icmp + 8);
        out.targetLow = segment.get(U64, icmp + 16);
        out.linkLayerAddress = NeighbourTable.NO_MAC;
        int wanted = type == TYPE_NEIGHBOUR_SOLICITATION ? OPTION_SOURCE_LINK_LAYER : OPTION_TARGET_LINK_LAYER;
        long option = icmp + 24;
        long end = icmp + payloadLength;
        // Each option is at least 8 bytes, so the walk ends within (end - option) / 8 steps.
        while (end - option >= 2) {
            int optionType = segment.get(ValueLayout.JAVA_BYTE, option) & 0xff;
            int length = (segment.get(ValueLayout.JAVA_BYTE, option + 1) & 0xff) * 8;
            if (length == 0 || length > end - option) {
                return NdpReason.INVALID;
            }
            if (optionType == wanted && length >= 8) {
                out.linkLayerAddress = Ethernet.readMac(segment, option + 2);
            }
            option += length;
        }
        return NdpReason.OK;
    }

    /**
     * Writes a whole IPv6 neighbour solicitation or advertisement at {@code offset}: from {@code source} to
     * {@code destination}, about {@code target}, with {@code flags} (NA) and one link-layer address option carrying
     * {@code mac}. Returns its length, {@link #IPV6_HEADER} + {@link #MESSAGE_LENGTH}.
     */
    static int write(MemorySegment segment, long offset, int type, int flags, long sourceHigh, long sourceLow,
            long destinationHigh, long destinationLow, long targetHigh, long targetLow, long mac) {
        segment.set(Ethernet.U32, offset, 0x6000_0000);
        segment.set(Ethernet.U16, offset + 4, (short) MESSAGE_LENGTH);
        segment.set(ValueLayout.JAVA_BYTE, offset + 6, (byte) PROTOCOL_ICMPV6);
        segment.set(ValueLayout.JAVA_BYTE, offset + 7, (byte) HOP_LIMIT);
        segment.set(U64, offset + 8, sourceHigh);
        segment.set(U64, offset + 16, sourceLow);
        segment.set(U64, offset + 24, destinationHigh);
        segment.set(U64, offset + 32, destinationLow);
        long icmp = offset + IPV6_HEADER;
        segment.set(Ethernet.U16, icmp, (short) (type << 8));
        segment.set(Ethernet.U16, icmp + 2, (short) 0);
        segment.set(Ethernet.U32, icmp + 4, flags);
        segment.set(U64, icmp + 8, targetHigh);
        segment.set(U64, icmp + 16, targetLow);
        int option = type == TYPE_NEIGHBOUR_SOLICITATION ? OPTION_SOURCE_LINK_LAYER : OPTION_TARGET_LINK_LAYER;
        segment.set(ValueLayout.JAVA_BYTE, icmp + 24, (byte) option);
        segment.set(ValueLayout.JAVA_BYTE, icmp + 25, (byte) 1);
        Ethernet.writeMac(segment, icmp + 26, mac);
        long sum = Checksums.sum(segment, icmp, MESSAGE_LENGTH, Checksums.pseudoHeaderSum6(sourceHigh, sourceLow,
                destinationHigh, destinationLow, PROTOCOL_ICMPV6, MESSAGE_LENGTH));
        segment.set(Ethernet.U16, icmp + 2, (short) (~Checksums.fold(sum) & 0xffff));
        return IPV6_HEADER + MESSAGE_LENGTH;
    }
}
