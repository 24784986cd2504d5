package dev.algd.engine.alg;

import dev.algd.engine.packet.Checksums;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.packet.Ipv6Header;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.packet.UdpHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one mangler every ALG uses (netfilter's {@code __nf_nat_mangle_tcp_packet} and
 * {@code nf_nat_mangle_udp_packet}): replaces a span of a TCP or UDP payload with bytes of any length, inside the
 * packet buffer, and keeps the packet consistent: the bytes after the span move, the IPv4 total length and header
 * checksum (IPv6: the payload length), the UDP length and the TCP/UDP checksum follow, and for TCP the change is
 * recorded in the session's sequence delta ({@link AlgSessionTable#recordLengthChange}) so that later segments of
 * this direction are shifted and acknowledgements (and SACK blocks) of the other direction are shifted back
 * ({@link #adjustSequenceNumbers}).
 * <p>
 * The engine binds it to each inspected packet and calls {@link #finish} after the ALG returned: the L4 checksum is
 * recomputed once per rewritten packet, whatever the number of spans. A UDP checksum of 0 (none, RFC 768) stays 0.
 * A segment that is retransmitted after its rewrite must be rewritten the same way by its ALG; the delta is then not
 * recorded again, and the segment keeps the shift it had the first time.
 * <p>
 * Not handled (netfilter has the same limits): one correction position per direction, so a retransmission of a
 * segment older than the last rewritten one gets the newer shift; a grown packet is not re-segmented to the path MTU.
 */
public final class PayloadRewriter {
    /** RFC 791: the total length field is 16 bits. */
    private static final int MAX_IPV4_LENGTH = 65_535;
    /** RFC 8200 §3: the payload length field is 16 bits and does not count the 40-byte header. */
    private static final int MAX_IPV6_LENGTH = 65_535 + Ipv6Header.LENGTH;
    private static final int PROTOCOL_TCP = 6;
    private static final int TCP_OPTION_END = 0;
    private static final int TCP_OPTION_NOP = 1;
    /** RFC 2018 §3: kind 5, length 2 + 8 per block. */
    private static final int TCP_OPTION_SACK = 5;

    private final Ipv4Header ip = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final AlgSessionTable algSessions;
    private final long[] counters;

    private AlgPacket packet;
    private MemorySegment segment;
    private boolean isIpv6;
    private long ipOffset;
    private long l4Offset;
    private int limitBytes;
    private int protocol;
    private int algSlot;
    private int direction;
    private int sequence;
    private int lengthChange;
    private boolean changed;
    private boolean sackAtOddOffset;
    /** Whether this packet's tail was held back: nothing may be replaced after that. */
    private boolean held;
    /** Where the last replacement in this packet ended: a hold may not start before it. */
    private long replacedUpTo;

    public PayloadRewriter(AlgSessionTable algSessions, long[] counters) {
        this.algSessions = algSessions;
        this.counters = counters;
    }

    /**
     * For the engine: binds to the packet whose IPv4 (or IPv6) header is at {@code ipOffset}, whose TCP/UDP header
     * is at {@code l4Offset} and whose payload {@code packet} describes. {@code limitBytes}: how long the IP packet
     * may become in its buffer.
     */
    public void bind(AlgPacket packet, MemorySegment segment, boolean isIpv6, long ipOffset, long l4Offset,
            int limitBytes, int protocol, int algSlot, int direction) {
        this.packet = packet;
        this.segment = segment;
        this.isIpv6 = isIpv6;
        this.ipOffset = ipOffset;
        this.l4Offset = l4Offset;
        this.limitBytes = limitBytes;
        this.protocol = protocol;
        this.algSlot = algSlot;
        this.direction = direction;
        ip.wrap(segment, ipOffset);
        ip6.wrap(segment, ipOffset);
        if (protocol == PROTOCOL_TCP) {
            tcp.wrap(segment, l4Offset);
            sequence = (int) tcp.sequenceNumber();
        } else {
            udp.wrap(segment, l4Offset);
        }
        lengthChange = 0;
        changed = false;
        held = false;
        replacedUpTo = 0;
    }

    /**
     * Replaces the {@code oldLength} payload bytes at {@code from} (an offset in the packet's segment, as
     * {@link AlgPacket#payloadOffset()} gives, after any earlier replacement in this packet) with {@code newLength}
     * bytes of {@code source} from {@code sourceOffset}. The payload view of the {@link AlgPacket} follows.
     */
    public RewriteReason replace(long from, int oldLength, MemorySegment source, long sourceOffset, int newLength) {
        RewriteReason room = makeRoom(from, oldLength, newLength);
        if (room == RewriteReason.OK) {
            MemorySegment.copy(source, sourceOffset, segment, from, newLength);
            replacedUpTo = from + newLength;
        }
        return room;
    }

    /** {@link #replace(long, int, MemorySegment, long, int)} from a byte array (an ALG's preallocated scratch). */
    public RewriteReason replace(long from, int oldLength, byte[] source, int sourceOffset, int newLength) {
        RewriteReason room = makeRoom(from, oldLength, newLength);
        if (room == RewriteReason.OK) {
            MemorySegment.copy(source, sourceOffset, segment, ValueLayout.JAVA_BYTE, from, newLength);
            replacedUpTo = from + newLength;
        }
        return room;
    }

    private RewriteReason makeRoom(long from, int oldLength, int newLength) {
        long payloadStart = packet.payloadOffset();
        long payloadEnd = payloadStart + packet.payloadLength();
        if (held || oldLength < 0 || newLength < 0 || from < payloadStart || from + oldLength > payloadEnd) {
            counters[AlgEvent.PAYLOAD_REWRITE_OUT_OF_BOUNDS.ordinal()]++;
            return RewriteReason.OUT_OF_BOUNDS;
        }
        int delta = newLength - oldLength;
        int totalLength = totalLength();
        int newTotal = totalLength + delta;
        if (newTotal > limitBytes || newTotal > maxTotalLength()) {
            counters[AlgEvent.PAYLOAD_REWRITE_NO_ROOM.ordinal()]++;
            packet.countLimitHit();
            return RewriteReason.NO_ROOM;
        }
        if (delta != 0) {
            long tailStart = from + oldLength;
            long tailLength = ipOffset + totalLength - tailStart;
            MemorySegment.copy(segment, tailStart, segment, from + newLength, tailLength);
            totalLength(totalLength, newTotal);
            if (protocol != PROTOCOL_TCP) {
                udp.length(udp.length() + delta);
            }
            lengthChange += delta;
        }
        packet.payload(payloadStart, packet.payloadLength() + delta);
        changed = true;
        counters[AlgEvent.PAYLOAD_REWRITTEN.ordinal()]++;
        return RewriteReason.OK;
    }

    /**
     * For {@link AlgPacket#holdFrom}: holds the payload from {@code from} to its end in {@code reassembly} and cuts
     * it from the packet. The cut is not a length change of the stream (no sequence delta): the bytes go out in
     * front of the next segment, at their own sequence numbers.
     */
    HoldReason holdTail(LineReassembly reassembly, long from) {
        long payloadStart = packet.payloadOffset();
        long payloadEnd = payloadStart + packet.payloadLength();
        if (protocol != PROTOCOL_TCP) {
            return HoldReason.NOT_TCP;
        }
        if (held) {
            return HoldReason.ALREADY_HELD;
        }
        if (from < payloadStart || from > payloadEnd || from < replacedUpTo) {
            return HoldReason.OUT_OF_BOUNDS;
        }
        int length = (int) (payloadEnd - from);
        if (length == 0) {
            return HoldReason.OK;
        }
        HoldReason reason;
        if ((tcp.flags() & (TcpHeader.FIN | TcpHeader.RST)) != 0) {
            reason = HoldReason.STREAM_ENDS;
        } else {
            // Replacements (all before from) moved the byte at from by lengthChange.
            int firstSequence = sequence + (int) (from - payloadStart) - lengthChange;
            reason = reassembly.hold(algSlot, direction, firstSequence, segment, from, length);
        }
        if (reason != HoldReason.OK) {
            counters[AlgEvent.LINE_PASSED_UNPARSED.ordinal()]++;
            return reason;
        }
        int totalLength = totalLength();
        totalLength(totalLength, totalLength - length);
        packet.payload(payloadStart, packet.payloadLength() - length);
        held = true;
        changed = true;
        return HoldReason.OK;
    }

    /**
     * For the engine: puts the first {@code count} bytes held (and frees the hold buffer) for this direction in front of the payload and gives
     * the segment the sequence number {@code firstSequence} of the first of them, so that it is the segment the
     * sender would have sent. Not a length change of the stream. Returns NO_ROOM, changing nothing, when the packet
     * cannot grow by {@code count}.
     */
    public RewriteReason prependHeld(LineReassembly reassembly, int count, int firstSequence) {
        int totalLength = totalLength();
        int newTotal = totalLength + count;
        if (newTotal > limitBytes || newTotal > maxTotalLength()) {
            return RewriteReason.NO_ROOM;
        }
        long payloadStart = packet.payloadOffset();
        MemorySegment.copy(segment, payloadStart, segment, payloadStart + count, ipOffset + totalLength - payloadStart);
        reassembly.copyHeld(algSlot, direction, count, segment, payloadStart);
        reassembly.released(algSlot, direction);
        totalLength(totalLength, newTotal);
        tcp.sequenceNumber(firstSequence & 0xffff_ffffL);
        sequence = firstSequence;
        packet.payload(payloadStart, packet.payloadLength() + count);
        changed = true;
        return RewriteReason.OK;
    }

    /** Whether this packet was rewritten since {@link #bind}. */
    public boolean isChanged() {
        return changed;
    }

    /**
     * For the engine, after the ALG returned: recomputes the L4 checksum of a rewritten packet and records a TCP
     * length change in the session's sequence delta. Returns the IP packet's total length.
     */
    public int finish() {
        if (!changed) {
            return totalLength();
        }
        int l4Length = totalLength() - (int) (l4Offset - ipOffset);
        long pseudo = pseudoHeaderSum(l4Length);
        if (protocol == PROTOCOL_TCP) {
            tcp.checksum(0);
            tcp.checksum(~Checksums.fold(Checksums.sum(segment, l4Offset, l4Length, pseudo)) & 0xffff);
            algSessions.recordLengthChange(algSlot, direction, sequence, lengthChange);
        } else if (udp.checksum() != 0) {
            int udpLength = udp.length();
            udp.checksum(0);
            int checksum = ~Checksums.fold(Checksums.sum(segment, l4Offset, udpLength, pseudoHeaderSum(udpLength)))
                    & 0xffff;
            udp.checksum(checksum == 0 ? 0xffff : checksum);
        }
        return totalLength();
    }

    private int totalLength() {
        return isIpv6 ? ip6.totalLength() : ip.totalLength();
    }

    private int maxTotalLength() {
        return isIpv6 ? MAX_IPV6_LENGTH : MAX_IPV4_LENGTH;
    }

    /** Sets the IP length fields (IPv4: with its header checksum; IPv6 has none). */
    private void totalLength(int oldTotal, int newTotal) {
        if (isIpv6) {
            ip6.payloadLength(newTotal - Ipv6Header.LENGTH);
        } else {
            ip.totalLength(newTotal);
            ip.checksum(Checksums.update16(ip.checksum(), oldTotal, newTotal));
        }
    }

    private long pseudoHeaderSum(int l4Length) {
        return isIpv6
                ? Checksums.pseudoHeaderSum6(ip6.sourceHigh(), ip6.sourceLow(), ip6.destinationHigh(),
                        ip6.destinationLow(), protocol, l4Length)
                : Checksums.pseudoHeaderSum(ip.sourceAddress(), ip.destinationAddress(), protocol, l4Length);
    }

    /**
     * Shifts the sequence number of a TCP segment travelling in {@code direction} by that direction's delta, and
     * its acknowledgement number and SACK blocks (RFC 2018) back by the other direction's, with incremental
     * checksum updates (netfilter's {@code nf_ct_seq_adjust}). {@code tcpOffset}: the TCP header in
     * {@code segment}, whose header length the caller has checked.
     */
    public void adjustSequenceNumbers(MemorySegment segment, boolean isIpv6, long ipOffset, long tcpOffset,
            int algSlot, int direction) {
        tcp.wrap(segment, tcpOffset);
        sackAtOddOffset = false;
        int other = direction ^ 1;
        int checksum = tcp.checksum();
        int before = checksum;
        if (algSessions.hasDelta(algSlot, direction)) {
            int sequence = (int) tcp.sequenceNumber();
            int shifted = sequence + algSessions.sequenceOffset(algSlot, direction, sequence);
            if (shifted != sequence) {
                tcp.sequenceNumber(shifted & 0xffff_ffffL);
                checksum = Checksums.update32(checksum, sequence, shifted);
            }
        }
        if (algSessions.hasDelta(algSlot, other)) {
            if ((tcp.flags() & TcpHeader.ACK) != 0) {
                int acknowledgement = (int) tcp.acknowledgmentNumber();
                int shifted = acknowledgement - algSessions.acknowledgementOffset(algSlot, other, acknowledgement);
                if (shifted != acknowledgement) {
                    tcp.acknowledgmentNumber(shifted & 0xffff_ffffL);
                    checksum = Checksums.update32(checksum, acknowledgement, shifted);
                }
            }
            checksum = adjustSackBlocks(segment, tcpOffset, algSlot, other, checksum);
        }
        if (sackAtOddOffset) {
            // RFC 1624's update works on 16-bit words; an edge at an odd offset straddles two of them.
            this.isIpv6 = isIpv6;
            this.protocol = PROTOCOL_TCP;
            ip.wrap(segment, ipOffset);
            ip6.wrap(segment, ipOffset);
            int l4Length = totalLength() - (int) (tcpOffset - ipOffset);
            tcp.checksum(0);
            checksum = ~Checksums.fold(Checksums.sum(segment, tcpOffset, l4Length, pseudoHeaderSum(l4Length)))
                    & 0xffff;
            before = -1;
        }
        if (checksum != before) {
            tcp.checksum(checksum);
            counters[AlgEvent.TCP_SEQUENCE_ADJUSTED.ordinal()]++;
        }
    }

    /** Walks the TCP options within the header; every SACK edge is shifted back like an acknowledgement. */
    private int adjustSackBlocks(MemorySegment segment, long tcpOffset, int algSlot, int other, int checksum) {
        long end = tcpOffset + tcp.headerLength();
        long i = tcpOffset + TcpHeader.MIN_LENGTH;
        while (i < end) {
            int kind = segment.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            if (kind == TCP_OPTION_END) {
                break;
            }
            if (kind == TCP_OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int length = segment.get(ValueLayout.JAVA_BYTE, i + 1) & 0xff;
            if (length < 2 || i + length > end) {
                break;
            }
            if (kind == TCP_OPTION_SACK && (length - 2) % 8 == 0) {
                for (long edge = i + 2; edge < i + length; edge += 4) {
                    int value = segment.get(SACK_EDGE, edge);
                    int shifted = value - algSessions.acknowledgementOffset(algSlot, other, value);
                    if (shifted != value) {
                        segment.set(SACK_EDGE, edge, shifted);
                        if (((edge - tcpOffset) & 1) != 0) {
                            sackAtOddOffset = true;
                        } else {
                            checksum = Checksums.update32(checksum, value, shifted);
                        }
                    }
                }
            }
            i += length;
        }
        return checksum;
    }

    private static final ValueLayout.OfInt SACK_EDGE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
}
