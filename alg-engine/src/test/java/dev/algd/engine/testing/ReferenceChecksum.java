package dev.algd.engine.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Internet checksum the slow, obvious way (RFC 1071 §4.1, byte by byte in 16-bit words over a copy), to judge
 * {@code Checksums} and the engine's incremental updates against. Shares no code with the production classes.
 */
public final class ReferenceChecksum {
    private ReferenceChecksum() {
    }

    /** The folded, uncomplemented one's complement sum of {@code bytes} plus {@code initial}. */
    public static int onesComplementSum(byte[] bytes, long initial) {
        long sum = initial;
        for (int i = 0; i < bytes.length; i += 2) {
            int high = bytes[i] & 0xff;
            int low = i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0;
            sum += high << 8 | low;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    public static int checksum(byte[] bytes, long initial) {
        return ~onesComplementSum(bytes, initial) & 0xffff;
    }

    static byte[] copy(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static int headerLength(MemorySegment segment, long ipOffset) {
        return (segment.get(ValueLayout.JAVA_BYTE, ipOffset) & 0x0f) * 4;
    }

    private static int totalLength(MemorySegment segment, long ipOffset) {
        byte[] h = copy(segment, ipOffset, 4);
        return u16(h, 2);
    }

    /** Whether the IPv4 header at {@code ipOffset} sums to 0xFFFF, i.e. its checksum verifies. */
    public static boolean isIpHeaderValid(MemorySegment segment, long ipOffset) {
        return onesComplementSum(copy(segment, ipOffset, headerLength(segment, ipOffset)), 0) == 0xffff;
    }

    /** The correct TCP/UDP checksum of the packet (pseudo-header included), computed with the field zeroed. */
    public static int l4Checksum(MemorySegment segment, long ipOffset) {
        int ihl = headerLength(segment, ipOffset);
        byte[] header = copy(segment, ipOffset, ihl);
        int protocol = header[9] & 0xff;
        int l4Length = totalLength(segment, ipOffset) - ihl;
        byte[] l4 = copy(segment, ipOffset + ihl, l4Length);
        int checksumAt = protocol == 6 ? 16 : 6;
        l4[checksumAt] = 0;
        l4[checksumAt + 1] = 0;
        long pseudo = u16(header, 12) + u16(header, 14) + u16(header, 16) + u16(header, 18) + protocol + l4Length;
        int value = checksum(l4, pseudo);
        return protocol == 17 && value == 0 ? 0xffff : value;
    }

    /** The correct ICMP checksum of the packet, computed with the field zeroed. */
    public static int icmpChecksum(MemorySegment segment, long ipOffset) {
        int ihl = headerLength(segment, ipOffset);
        byte[] icmp = copy(segment, ipOffset + ihl, totalLength(segment, ipOffset) - ihl);
        icmp[2] = 0;
        icmp[3] = 0;
        return checksum(icmp, 0);
    }

    /** The checksum field of the L4 header as it is in the packet (TCP, UDP or ICMP). */
    public static int storedL4Checksum(MemorySegment segment, long ipOffset) {
        int ihl = headerLength(segment, ipOffset);
        int protocol = segment.get(ValueLayout.JAVA_BYTE, ipOffset + 9) & 0xff;
        int at = protocol == 6 ? 16 : protocol == 17 ? 6 : 2;
        byte[] field = copy(segment, ipOffset + ihl + at, 2);
        return u16(field, 0);
    }

    /**
     * Whether every checksum in the packet verifies: the IPv4 header, and the TCP, UDP (zero allowed: none) or
     * ICMP checksum. A stored 0x0000 and 0xFFFF are the same one's complement value for TCP and ICMP.
     */
    public static boolean areAllChecksumsValid(MemorySegment segment, long ipOffset) {
        if (!isIpHeaderValid(segment, ipOffset)) {
            return false;
        }
        int protocol = segment.get(ValueLayout.JAVA_BYTE, ipOffset + 9) & 0xff;
        int stored = storedL4Checksum(segment, ipOffset);
        if (protocol == 17) {
            return stored == 0 || stored == l4Checksum(segment, ipOffset);
        }
        int expected = protocol == 6 ? l4Checksum(segment, ipOffset) : icmpChecksum(segment, ipOffset);
        return stored == expected || (stored ^ expected) == 0xffff && (stored == 0 || expected == 0);
    }
}
