package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of 16-bit words.
 * Full computation for packets built or completed here, and the RFC 1624 incremental update for NAT rewrites.
 * <p>
 * The incremental updates assume a <em>complete</em> checksum in the field. A frame that the kernel marked
 * checksum-not-ready (TP_STATUS_CSUMNOTREADY, CHECKSUM_PARTIAL) carries only the pseudo-header sum there; packet-io
 * calls {@link #completeL4Checksum} on it before the engine sees it (design note packet-io.md, pitfall 1).
 */
public final class Checksums {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private Checksums() {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)} as big-endian 16-bit words to {@code initial}; an odd last
     * byte is padded with zero on the right (RFC 1071 §4.1). The result is an unfolded sum; see {@link #fold(long)}.
     * Summing 32-bit words into a 64-bit accumulator gives the same folded result as 16-bit words
     * (RFC 1071 §2(B), byte-order and word-size independence).
     */
    public static long sum(MemorySegment segment, long offset, int length, long initial) {
        long sum = initial;
        long i = offset;
        long end = offset + length;
        while (end - i >= 4) {
            sum += segment.get(Ipv4Header.U32, i) & 0xffff_ffffL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += segment.get(Ipv4Header.U16, i) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (segment.get(ValueLayout.JAVA_BYTE, i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum of words into 16 bits with end-around carry; the result is in 0..0xFFFF, not complemented. */
    public static int fold(long sum) {
        long s = (sum & 0xffff_ffffL) + (sum >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** The checksum of {@code [offset, offset + length)}: the value to store in a zeroed checksum field. */
    public static int internetChecksum(MemorySegment segment, long offset, int length) {
        return ~fold(sum(segment, offset, length, 0)) & 0xffff;
    }

    /** The sum of the TCP/UDP pseudo-header over IPv4 (RFC 793 §3.1, RFC 768): source, destination, protocol, length. */
    public static long pseudoHeaderSum(int sourceAddress, int destinationAddress, int protocol, int l4Length) {
        return (sourceAddress & 0xffff_ffffL) + (destinationAddress & 0xffff_ffffL)
                + (protocol & 0xff) + (l4Length & 0xffff);
    }

    /**
     * The sum of the upper-layer pseudo-header over IPv6 (RFC 8200 §8.1): source, destination, upper-layer packet
     * length and next header. ICMPv6 includes it too (RFC 4443 §2.3), unlike ICMP over IPv4.
     */
    public static long pseudoHeaderSum6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
            int protocol, int upperLayerLength) {
        return words(sourceHigh) + words(sourceLow) + words(destinationHigh) + words(destinationLow)
                + (protocol & 0xff) + (upperLayerLength >>> 16) + (upperLayerLength & 0xffff);
    }

    /** The four 16-bit words of {@code value}, added. */
    private static long words(long value) {
        return (value >>> 48) + (value >>> 32 & 0xffff) + (value >>> 16 & 0xffff) + (value & 0xffff);
    }

    /** {@link #update16} for a 128-bit field (an IPv6 address), as its eight 16-bit words. */
    public static int update128(int checksum, long oldHigh, long oldLow, long newHigh, long newLow) {
        long sum = (~checksum & 0xffff) + words(~oldHigh) + words(~oldLow) + words(newHigh) + words(newLow);
        return ~fold(sum) & 0xffff;
    }

    /**
     * RFC 1624 eqn. 3, {@code HC' = ~(~HC + ~m + m')}: the checksum after the 16-bit word {@code oldWord} became
     * {@code newWord}. Eqn. 3 rather than eqn. 2 because it never turns a correct checksum into 0x0000 from 0xFFFF
     * wrongly (RFC 1624 §3).
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** {@link #update16} for a 32-bit field (an IPv4 address), as its two 16-bit words. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xffff)
                + (~oldValue >>> 16 & 0xffff) + (~oldValue & 0xffff)
                + (newValue >>> 16 & 0xffff) + (newValue & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /**
     * {@link #update16} for a UDP checksum: zero means the sender computed none (RFC 768) and stays zero; a
     * computed zero is sent as 0xFFFF.
     */
    public static int udpUpdate16(int checksum, int oldWord, int newWord) {
        if (checksum == 0) {
            return 0;
        }
        int updated = update16(checksum, oldWord, newWord);
        return updated == 0 ? 0xffff : updated;
    }

    /** {@link #udpUpdate16} for a 32-bit field. */
    public static int udpUpdate32(int checksum, int oldValue, int newValue) {
        if (checksum == 0) {
            return 0;
        }
        int updated = update32(checksum, oldValue, newValue);
        return updated == 0 ? 0xffff : updated;
    }

    /**
     * Computes and writes the complete TCP or UDP checksum of the IPv4 (or IPv6) packet at {@code ipOffset}, from scratch,
     * whatever the field held (packet-io calls it for frames marked TP_STATUS_CSUMNOTREADY, whose field holds only
     * the pseudo-header sum). The L4 length comes from the IPv4 total length, bounded by {@code ipLength}.
     * Other protocols, fragments and malformed headers are left untouched: the engine drops those with a reason.
     * A UDP checksum that computes to zero is written as 0xFFFF (RFC 768).
     */
    public static void completeL4Checksum(MemorySegment segment, long ipOffset, int ipLength) {
        if (ipLength < Ipv4Header.MIN_LENGTH) {
            return;
        }
        int versionIhl = segment.get(ValueLayout.JAVA_BYTE, ipOffset) & 0xff;
        if (versionIhl >>> 4 == 6) {
            completeL4Checksum6(segment, ipOffset, ipLength);
            return;
        }
        int headerLength = (versionIhl & 0x0f) << 2;
        if (versionIhl >>> 4 != 4 || headerLength < Ipv4Header.MIN_LENGTH) {
            return;
        }
        int totalLength = segment.get(Ipv4Header.U16, ipOffset + Ipv4Header.TOTAL_LENGTH_OFFSET) & 0xffff;
        int length = Math.min(totalLength, ipLength);
        int l4Length = length - headerLength;
        int flagsFragment = segment.get(Ipv4Header.U16, ipOffset + Ipv4Header.FLAGS_FRAGMENT_OFFSET) & 0xffff;
        if ((flagsFragment & (Ipv4Header.FLAG_MORE_FRAGMENTS | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0) {
            return;
        }
        int protocol = segment.get(ValueLayout.JAVA_BYTE, ipOffset + Ipv4Header.PROTOCOL_OFFSET) & 0xff;
        long checksumOffset;
        if (protocol == Ipv4Header.PROTOCOL_TCP && l4Length >= TcpHeader.MIN_LENGTH) {
            checksumOffset = ipOffset + headerLength + TcpHeader.CHECKSUM_OFFSET;
        } else if (protocol == Ipv4Header.PROTOCOL_UDP && l4Length >= UdpHeader.LENGTH) {
            checksumOffset = ipOffset + headerLength + UdpHeader.CHECKSUM_OFFSET;
            // RFC 768: the checksum and the pseudo-header use the UDP length; bytes after it are padding.
            int udpLength = segment.get(Ipv4Header.U16, ipOffset + headerLength + UdpHeader.LENGTH_OFFSET) & 0xffff;
            if (udpLength >= UdpHeader.LENGTH && udpLength < l4Length) {
                l4Length = udpLength;
            }
        } else {
            return;
        }
        int source = segment.get(Ipv4Header.U32, ipOffset + Ipv4Header.SOURCE_OFFSET);
        int destination = segment.get(Ipv4Header.U32, ipOffset + Ipv4Header.DESTINATION_OFFSET);
        writeL4Checksum(segment, ipOffset + headerLength, l4Length, protocol, checksumOffset,
                pseudoHeaderSum(source, destination, protocol, l4Length));
    }

    /**
     * {@link #completeL4Checksum} for IPv6: TCP or UDP right after the fixed header (a virtual NIC that leaves the
     * checksum partial does not put extension headers in front of it); anything else is left untouched. The
     * upper-layer length is the payload length, bounded by {@code ipLength}.
     */
    private static void completeL4Checksum6(MemorySegment segment, long ipOffset, int ipLength) {
        if (ipLength < Ipv6Header.LENGTH) {
            return;
        }
        int payloadLength = segment.get(Ipv4Header.U16, ipOffset + Ipv6Header.PAYLOAD_LENGTH_OFFSET) & 0xffff;
        int l4Length = Math.min(payloadLength, ipLength - Ipv6Header.LENGTH);
        int protocol = segment.get(ValueLayout.JAVA_BYTE, ipOffset + Ipv6Header.NEXT_HEADER_OFFSET) & 0xff;
        long l4 = ipOffset + Ipv6Header.LENGTH;
        long checksumOffset;
        if (protocol == Ipv4Header.PROTOCOL_TCP && l4Length >= TcpHeader.MIN_LENGTH) {
            checksumOffset = l4 + TcpHeader.CHECKSUM_OFFSET;
        } else if (protocol == Ipv4Header.PROTOCOL_UDP && l4Length >= UdpHeader.LENGTH) {
            checksumOffset = l4 + UdpHeader.CHECKSUM_OFFSET;
        } else {
            return;
        }
        long source = ipOffset + Ipv6Header.SOURCE_OFFSET;
        long destination = ipOffset + Ipv6Header.DESTINATION_OFFSET;
        long pseudo = pseudoHeaderSum6(segment.get(U64, source), segment.get(U64, source + 8),
                segment.get(U64, destination), segment.get(U64, destination + 8), protocol, l4Length);
        writeL4Checksum(segment, l4, l4Length, protocol, checksumOffset, pseudo);
    }

    /** Sums {@code pseudo} and the L4 bytes with the checksum field zeroed, and writes the checksum there. */
    private static void writeL4Checksum(MemorySegment segment, long l4, int l4Length, int protocol,
            long checksumOffset, long pseudo) {
        segment.set(Ipv4Header.U16, checksumOffset, (short) 0);
        int checksum = ~fold(sum(segment, l4, l4Length, pseudo)) & 0xffff;
        if (checksum == 0 && protocol == Ipv4Header.PROTOCOL_UDP) {
            checksum = 0xffff;   // RFC 768; over IPv6 a zero UDP checksum is not even allowed (RFC 8200 §8.1)
        }
        segment.set(Ipv4Header.U16, checksumOffset, (short) checksum);
    }
}
