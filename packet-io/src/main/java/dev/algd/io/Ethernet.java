package dev.algd.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Ethernet II header (IEEE 802.3 §3.2, RFC 894 for IPv4 over it). Addresses are handled as 48-bit values in a
 * {@code long}, first octet most significant, so that no byte array is needed per frame.
 *
 * <pre>
 *  0                   6                   12      14
 * +-------------------+-------------------+-------+-------------
 * | destination (6)   | source (6)        | type  | payload ...
 * +-------------------+-------------------+-------+-------------
 * </pre>
 */
public final class Ethernet {
    public static final int HEADER_LENGTH = 14;
    public static final long DESTINATION_OFFSET = 0;
    public static final long SOURCE_OFFSET = 6;
    public static final long TYPE_OFFSET = 12;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q customer tag, 802.1ad service tag, and the pre-standard QinQ value. */
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88a8;
    public static final int TYPE_QINQ_OLD = 0x9100;

    public static final long BROADCAST = 0xffff_ffff_ffffL;
    /** RFC 1112 §6.4: IPv4 multicast maps to 01:00:5e plus the low 23 bits of the group. */
    public static final long IPV4_MULTICAST_BASE = 0x0100_5e00_0000L;
    /** RFC 2464 §7: IPv6 multicast goes to 33:33 followed by the group's last 32 bits. */
    public static final long IPV6_MULTICAST_BASE = 0x3333_0000_0000L;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Ethernet() {
    }

    public static int type(MemorySegment segment, long frame) {
        return segment.get(U16, frame + TYPE_OFFSET) & 0xffff;
    }

    public static long destination(MemorySegment segment, long frame) {
        return readMac(segment, frame + DESTINATION_OFFSET);
    }

    public static long source(MemorySegment segment, long frame) {
        return readMac(segment, frame + SOURCE_OFFSET);
    }

    /** Writes destination, source and type at {@code frame}. */
    public static void writeHeader(MemorySegment segment, long frame, long destination, long source, int type) {
        writeMac(segment, frame + DESTINATION_OFFSET, destination);
        writeMac(segment, frame + SOURCE_OFFSET, source);
        segment.set(U16, frame + TYPE_OFFSET, (short) type);
    }

    public static long readMac(MemorySegment segment, long offset) {
        return (segment.get(U16, offset) & 0xffffL) << 32 | segment.get(U32, offset + 2) & 0xffff_ffffL;
    }

    public static void writeMac(MemorySegment segment, long offset, long mac) {
        segment.set(U16, offset, (short) (mac >>> 32));
        segment.set(U32, offset + 2, (int) mac);
    }

    /** Group addresses (broadcast, multicast) have the I/G bit, the lowest bit of the first octet, set. */
    public static boolean isGroupAddress(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    public static boolean isVlanType(int type) {
        return type == TYPE_VLAN || type == TYPE_QINQ || type == TYPE_QINQ_OLD;
    }

    /** The Ethernet group address an IPv4 multicast destination (224.0.0.0/4) is sent to. */
    public static long ipv4MulticastMac(int group) {
        return IPV4_MULTICAST_BASE | (group & 0x7f_ffff);
    }

    /** The Ethernet group address an IPv6 multicast destination (ff00::/8) is sent to (RFC 2464 §7). */
    public static long ipv6MulticastMac(long groupLow) {
        return IPV6_MULTICAST_BASE | (groupLow & 0xffff_ffffL);
    }
}
