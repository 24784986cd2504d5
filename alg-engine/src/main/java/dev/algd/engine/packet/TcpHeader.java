package dev.algd.engine.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A view of a TCP header (RFC 793 §3.1, flags as in RFC 9293 §3.1). Reused per packet through
 * {@link #wrap(MemorySegment, long)}; the caller checks that {@link #MIN_LENGTH} bytes are there.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The checksum covers the RFC 793 pseudo-header (source, destination, zero, protocol, TCP length) and the segment.
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_OFFSET = 18;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private MemorySegment segment;
    private long offset;

    public TcpHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int sourcePort() {
        return segment.get(Ipv4Header.U16, offset + SOURCE_PORT_OFFSET) & 0xffff;
    }

    public void sourcePort(int port) {
        segment.set(Ipv4Header.U16, offset + SOURCE_PORT_OFFSET, (short) port);
    }

    public int destinationPort() {
        return segment.get(Ipv4Header.U16, offset + DESTINATION_PORT_OFFSET) & 0xffff;
    }

    public void destinationPort(int port) {
        segment.set(Ipv4Header.U16, offset + DESTINATION_PORT_OFFSET, (short) port);
    }

    public long sequenceNumber() {
        return segment.get(Ipv4Header.U32, offset + SEQUENCE_OFFSET) & 0xffff_ffffL;
    }

    public long acknowledgmentNumber() {
        return segment.get(Ipv4Header.U32, offset + ACKNOWLEDGMENT_OFFSET) & 0xffff_ffffL;
    }

    public void sequenceNumber(long sequence) {
        segment.set(Ipv4Header.U32, offset + SEQUENCE_OFFSET, (int) sequence);
    }

    public void acknowledgmentNumber(long acknowledgment) {
        segment.set(Ipv4Header.U32, offset + ACKNOWLEDGMENT_OFFSET, (int) acknowledgment);
    }

    /** The header length in bytes: the data offset field (32-bit words) times four. */
    public int headerLength() {
        return (segment.get(ValueLayout.JAVA_BYTE, offset + DATA_OFFSET_OFFSET) & 0xf0) >>> 2;
    }

    /** The low eight flag bits: CWR ECE URG ACK PSH RST SYN FIN. */
    public int flags() {
        return segment.get(ValueLayout.JAVA_BYTE, offset + FLAGS_OFFSET) & 0xff;
    }

    public int window() {
        return segment.get(Ipv4Header.U16, offset + WINDOW_OFFSET) & 0xffff;
    }

    public int checksum() {
        return segment.get(Ipv4Header.U16, offset + CHECKSUM_OFFSET) & 0xffff;
    }

    public void checksum(int checksum) {
        segment.set(Ipv4Header.U16, offset + CHECKSUM_OFFSET, (short) checksum);
    }
}
