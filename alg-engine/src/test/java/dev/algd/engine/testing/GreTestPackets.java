package dev.algd.engine.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Builds IPv4 packets carrying GRE: version 0 with the optional checksum, key and sequence number (RFC 2784, RFC
 * 2890), or PPTP's version 1 with a call id and optional sequence and acknowledgment numbers (RFC 2637 §4.1).
 * The IPv4 header checksum and the GRE checksum (over the GRE header and payload) come from
 * {@link ReferenceChecksum}: {@code GreTestPackets.v0().from("192.168.1.10").to("198.51.100.7").key(7).build()}.
 * For IPv6, {@link #greBytes()} is the GRE header and payload to hand to {@link Ipv6TestPackets#gre(byte[])}.
 */
public final class GreTestPackets {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int version;
    private int source;
    private int destination;
    private int ttl = 64;
    private int protocolType = 0x0800;
    private boolean hasChecksum;
    private Long key;
    private Long sequence;
    private Long acknowledgment;
    private int callId;
    private byte[] payload = {0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private GreTestPackets(int version) {
        this.version = version;
    }

    /** Version 0 carrying an IPv4 payload (protocol type 0x0800), no optional fields unless asked for. */
    public static GreTestPackets v0() {
        return new GreTestPackets(0);
    }

    /** PPTP's version 1 carrying PPP (0x880B) to the receiver's {@code callId}. */
    public static GreTestPackets pptp(int callId) {
        GreTestPackets packet = new GreTestPackets(1);
        packet.callId = callId;
        packet.protocolType = 0x880B;
        return packet;
    }

    public GreTestPackets from(String address) {
        source = TestPackets.address(address);
        return this;
    }

    public GreTestPackets to(String address) {
        destination = TestPackets.address(address);
        return this;
    }

    public GreTestPackets ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    /** Version 0: set C and fill the checksum over the GRE header and payload (RFC 2784 §2.5). */
    public GreTestPackets checksum() {
        hasChecksum = true;
        return this;
    }

    public GreTestPackets key(long key) {
        this.key = key;
        return this;
    }

    public GreTestPackets sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    /** Version 1 only: set A with this acknowledgment number. */
    public GreTestPackets acknowledgment(long acknowledgment) {
        this.acknowledgment = acknowledgment;
        return this;
    }

    public GreTestPackets payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    public int greHeaderLength() {
        if (version == 1) {
            return 8 + (sequence != null ? 4 : 0) + (acknowledgment != null ? 4 : 0);
        }
        return 4 + (hasChecksum ? 4 : 0) + (key != null ? 4 : 0) + (sequence != null ? 4 : 0);
    }

    public int length() {
        return 20 + greHeaderLength() + payload.length;
    }

    public MemorySegment build() {
        MemorySegment segment = Arena.ofAuto().allocate(length());
        int total = length();
        segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        segment.set(U16, 2, (short) total);
        segment.set(U16, 4, (short) 0x4321);
        segment.set(ValueLayout.JAVA_BYTE, 8, (byte) ttl);
        segment.set(ValueLayout.JAVA_BYTE, 9, (byte) 47);
        segment.set(U32, 12, source);
        segment.set(U32, 16, destination);
        byte[] gre = greBytes();
        MemorySegment.copy(MemorySegment.ofArray(gre), 0, segment, 20, gre.length);
        segment.set(U16, 10, (short) ReferenceChecksum.checksum(ReferenceChecksum.copy(segment, 0, 20), 0));
        return segment;
    }

    /** The GRE header and payload alone, its checksum filled in when asked for (it covers nothing else). */
    public byte[] greBytes() {
        MemorySegment segment = MemorySegment.ofArray(new byte[greHeaderLength() + payload.length]);
        long gre = 0;
        int flags = version;
        long at = gre + 4;
        if (version == 1) {
            flags |= 0x2000 | (sequence != null ? 0x1000 : 0) | (acknowledgment != null ? 0x0080 : 0);
            segment.set(U16, at, (short) payload.length);
            segment.set(U16, at + 2, (short) callId);
            at += 4;
            if (sequence != null) {
                segment.set(U32, at, (int) (long) sequence);
                at += 4;
            }
            if (acknowledgment != null) {
                segment.set(U32, at, (int) (long) acknowledgment);
                at += 4;
            }
        } else {
            flags |= (hasChecksum ? 0x8000 : 0) | (key != null ? 0x2000 : 0) | (sequence != null ? 0x1000 : 0);
            at += hasChecksum ? 4 : 0;
            if (key != null) {
                segment.set(U32, at, (int) (long) key);
                at += 4;
            }
            if (sequence != null) {
                segment.set(U32, at, (int) (long) sequence);
                at += 4;
            }
        }
        segment.set(U16, gre, (short) flags);
        segment.set(U16, gre + 2, (short) protocolType);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, segment, at, payload.length);
        byte[] bytes = segment.toArray(ValueLayout.JAVA_BYTE);
        if (hasChecksum) {
            int checksum = greChecksum(bytes);
            bytes[4] = (byte) (checksum >>> 8);
            bytes[5] = (byte) checksum;
        }
        return bytes;
    }

    /** The GRE checksum over the GRE header and payload of the packet at {@code ipOffset}, with the field zeroed. */
    public static int greChecksum(MemorySegment segment, long ipOffset) {
        int ihl = (segment.get(ValueLayout.JAVA_BYTE, ipOffset) & 0x0f) * 4;
        int total = segment.get(U16, ipOffset + 2) & 0xffff;
        return greChecksum(ReferenceChecksum.copy(segment, ipOffset + ihl, total - ihl));
    }

    /** The checksum of the GRE header and payload in {@code gre}, computed with the field zeroed. */
    public static int greChecksum(byte[] gre) {
        byte[] copy = gre.clone();
        copy[4] = 0;
        copy[5] = 0;
        return ReferenceChecksum.checksum(copy, 0);
    }
}
