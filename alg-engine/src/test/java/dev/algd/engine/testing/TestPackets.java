package dev.algd.engine.testing;

import dev.algd.engine.config.Ipv4Addresses;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Builds IPv4 packets with TCP, UDP or ICMP echo into MemorySegments, with correct checksums from
 * {@link ReferenceChecksum}:
 * {@code TestPackets.tcp().from("192.168.1.10", 40000).to("198.51.100.7", 80).flags(SYN).build()}.
 */
public final class TestPackets {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int protocol;
    private int source;
    private int sourcePort;
    private int destination;
    private int destinationPort;
    private int ttl = 64;
    private int flags = ACK;
    private int icmpType = 8;
    private int sequence = 1;
    private byte[] payload = new byte[0];
    private boolean udpChecksum = true;
    private int flagsFragment;
    private int identification = 0x1234;
    private long tcpSequence = 1000;
    private long tcpAcknowledgment = 2000;
    private long[] sackBlocks = new long[0];

    private TestPackets(int protocol) {
        this.protocol = protocol;
    }

    public static TestPackets tcp() {
        return new TestPackets(6);
    }

    public static TestPackets udp() {
        return new TestPackets(17);
    }

    /** An ICMP echo request; {@link #echoReply()} turns it into a reply. Its identifier is the source "port". */
    public static TestPackets icmpEcho() {
        return new TestPackets(1);
    }

    /** The TCP payload of the IPv4 packet at the start of {@code packet}, one char per byte (ISO-8859-1). */
    public static String tcpPayload(MemorySegment packet) {
        int ipHeader = (packet.get(ValueLayout.JAVA_BYTE, 0) & 0x0f) * 4;
        int totalLength = Short.toUnsignedInt(packet.get(U16, 2));
        int from = ipHeader + ((packet.get(ValueLayout.JAVA_BYTE, ipHeader + 12) & 0xf0) >>> 2);
        return new String(packet.asSlice(from, totalLength - from).toArray(ValueLayout.JAVA_BYTE),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public static int address(String dotted) {
        return Ipv4Addresses.parse(dotted);
    }

    public TestPackets from(String address, int port) {
        source = address(address);
        sourcePort = port;
        return this;
    }

    public TestPackets to(String address, int port) {
        destination = address(address);
        destinationPort = port;
        return this;
    }

    public TestPackets ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    public TestPackets flags(int flags) {
        this.flags = flags;
        return this;
    }

    /** TCP: the sequence number (default 1000). */
    public TestPackets seq(long sequence) {
        tcpSequence = sequence;
        return this;
    }

    /** TCP: the acknowledgement number (default 2000, sent when ACK is set). */
    public TestPackets ack(long acknowledgment) {
        tcpAcknowledgment = acknowledgment;
        return this;
    }

    /** TCP: a SACK option (RFC 2018) with these left/right edges, after two NOPs. */
    public TestPackets sack(long... edges) {
        sackBlocks = edges.clone();
        return this;
    }

    public TestPackets echoReply() {
        icmpType = 0;
        return this;
    }

    public TestPackets identifier(int identifier) {
        sourcePort = identifier;
        return this;
    }

    public TestPackets sequence(int sequence) {
        this.sequence = sequence;
        return this;
    }

    public TestPackets payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    public TestPackets payload(String ascii) {
        return payload(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** UDP only: send checksum 0, "no checksum" (RFC 768). */
    public TestPackets withoutUdpChecksum() {
        udpChecksum = false;
        return this;
    }

    /** Raw flags/fragment-offset word, e.g. 0x2000 for MF. The packet is built as if it were whole. */
    public TestPackets flagsFragment(int word) {
        flagsFragment = word;
        return this;
    }

    public int length() {
        return 20 + l4HeaderLength() + payload.length;
    }

    private int l4HeaderLength() {
        return protocol == 6 ? 20 + tcpOptionsLength() : 8;
    }

    private int tcpOptionsLength() {
        return sackBlocks.length == 0 ? 0 : 2 + 2 + sackBlocks.length * 4;
    }

    /** A new segment holding exactly this packet. */
    public MemorySegment build() {
        MemorySegment segment = Arena.ofAuto().allocate(length());
        writeInto(segment, 0);
        return segment;
    }

    /** Writes the packet at {@code offset} of {@code segment}; returns its length. */
    public int writeInto(MemorySegment segment, long offset) {
        int total = length();
        segment.asSlice(offset, total).fill((byte) 0);
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) 0x45);
        segment.set(U16, offset + 2, (short) total);
        segment.set(U16, offset + 4, (short) identification);
        segment.set(U16, offset + 6, (short) flagsFragment);
        segment.set(ValueLayout.JAVA_BYTE, offset + 8, (byte) ttl);
        segment.set(ValueLayout.JAVA_BYTE, offset + 9, (byte) protocol);
        segment.set(U32, offset + 12, source);
        segment.set(U32, offset + 16, destination);
        long l4 = offset + 20;
        if (protocol == 6) {
            segment.set(U16, l4, (short) sourcePort);
            segment.set(U16, l4 + 2, (short) destinationPort);
            segment.set(U32, l4 + 4, (int) tcpSequence);
            segment.set(U32, l4 + 8, (flags & ACK) != 0 ? (int) tcpAcknowledgment : 0);
            segment.set(ValueLayout.JAVA_BYTE, l4 + 12, (byte) (l4HeaderLength() / 4 << 4));
            if (sackBlocks.length > 0) {
                segment.set(ValueLayout.JAVA_BYTE, l4 + 20, (byte) 1);
                segment.set(ValueLayout.JAVA_BYTE, l4 + 21, (byte) 1);
                segment.set(ValueLayout.JAVA_BYTE, l4 + 22, (byte) 5);
                segment.set(ValueLayout.JAVA_BYTE, l4 + 23, (byte) (2 + sackBlocks.length * 4));
                for (int i = 0; i < sackBlocks.length; i++) {
                    segment.set(U32, l4 + 24 + i * 4, (int) sackBlocks[i]);
                }
            }
            segment.set(ValueLayout.JAVA_BYTE, l4 + 13, (byte) flags);
            segment.set(U16, l4 + 14, (short) 65535);
        } else if (protocol == 17) {
            segment.set(U16, l4, (short) sourcePort);
            segment.set(U16, l4 + 2, (short) destinationPort);
            segment.set(U16, l4 + 4, (short) (8 + payload.length));
        } else {
            segment.set(ValueLayout.JAVA_BYTE, l4, (byte) icmpType);
            segment.set(U16, l4 + 4, (short) sourcePort);
            segment.set(U16, l4 + 6, (short) sequence);
        }
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, segment, l4 + l4HeaderLength(), payload.length);
        segment.set(U16, offset + 10, (short) ReferenceChecksum.checksum(ReferenceChecksum.copy(segment, offset, 20), 0));
        if (protocol == 6) {
            segment.set(U16, l4 + 16, (short) ReferenceChecksum.l4Checksum(segment, offset));
        } else if (protocol == 17) {
            segment.set(U16, l4 + 6, (short) (udpChecksum ? ReferenceChecksum.l4Checksum(segment, offset) : 0));
        } else {
            segment.set(U16, l4 + 2, (short) ReferenceChecksum.icmpChecksum(segment, offset));
        }
        return total;
    }
}
