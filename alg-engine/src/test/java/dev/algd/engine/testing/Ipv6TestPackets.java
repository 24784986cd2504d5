package dev.algd.engine.testing;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds IPv6 packets with TCP, UDP, ICMPv6 echo or GRE, optionally behind extension headers, into byte arrays with
 * correct checksums computed here the slow way (the pseudo-header of RFC 8200 §8.1 spelled out byte by byte):
 * {@code Ipv6TestPackets.tcp().from("2001:db8:1::10", 40000).to("2001:db8:2::7", 80).build()}. Shares no code
 * with the production packet classes, so it can judge them; {@link #isChecksumValid} checks a packet the same way.
 */
public final class Ipv6TestPackets {
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int GRE = 47;

    private final int protocol;
    private byte[] source = new byte[16];
    private byte[] destination = new byte[16];
    private int sourcePort;
    private int destinationPort;
    private int hopLimit = 64;
    private int tcpFlags = 0x10;
    private long sequence = 1000;
    private long acknowledgement = 2000;
    private int icmpType = 128;
    private int icmpCode;
    private byte[] payload = new byte[0];
    private boolean zeroUdpChecksum;
    /** Extension headers in order, each as its type and its complete bytes with the next-header byte left 0. */
    private final java.util.List<int[]> extensionTypes = new java.util.ArrayList<>();
    private final java.util.List<byte[]> extensionBytes = new java.util.ArrayList<>();

    private Ipv6TestPackets(int protocol) {
        this.protocol = protocol;
    }

    public static Ipv6TestPackets tcp() {
        return new Ipv6TestPackets(TCP);
    }

    public static Ipv6TestPackets udp() {
        return new Ipv6TestPackets(UDP);
    }

    /** An ICMPv6 echo request (type 128); its identifier is the source "port". */
    public static Ipv6TestPackets icmpEcho() {
        return new Ipv6TestPackets(ICMPV6);
    }

    /**
     * GRE with this header and payload ({@link GreTestPackets#greBytes()}), carried as they are: the GRE checksum
     * covers no pseudo-header (RFC 2784 §2.5). Addresses from from/to; their ports are ignored.
     */
    public static Ipv6TestPackets gre(byte[] greHeaderAndPayload) {
        Ipv6TestPackets packet = new Ipv6TestPackets(GRE);
        packet.payload = greHeaderAndPayload.clone();
        return packet;
    }

    /** An ICMPv6 error ({@code type} 1..4) quoting {@code quoted} as its payload; addresses from from/to. */
    public static Ipv6TestPackets icmpError(int type, int code, byte[] quoted) {
        Ipv6TestPackets packet = new Ipv6TestPackets(ICMPV6);
        packet.icmpType = type;
        packet.icmpCode = code;
        packet.payload = quoted.clone();
        return packet;
    }

    public static byte[] address(String text) {
        try {
            byte[] bytes = InetAddress.ofLiteral(text).getAddress();
            if (bytes.length != 16) {
                throw new IllegalArgumentException(text + " is not IPv6");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Ipv6TestPackets from(String address, int port) {
        source = address(address);
        sourcePort = port;
        return this;
    }

    public Ipv6TestPackets to(String address, int port) {
        destination = address(address);
        destinationPort = port;
        return this;
    }

    public Ipv6TestPackets hopLimit(int hopLimit) {
        this.hopLimit = hopLimit;
        return this;
    }

    public Ipv6TestPackets seq(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public Ipv6TestPackets ack(long acknowledgement) {
        this.acknowledgement = acknowledgement;
        return this;
    }

    /** The payload as US-ASCII text (an FTP line, say). */
    public Ipv6TestPackets payload(String text) {
        return payload(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public Ipv6TestPackets flags(int flags) {
        tcpFlags = flags;
        return this;
    }

    public Ipv6TestPackets echoReply() {
        icmpType = 129;
        return this;
    }

    public Ipv6TestPackets payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** UDP: send checksum 0, which IPv6 forbids. */
    public Ipv6TestPackets zeroUdpChecksum() {
        zeroUdpChecksum = true;
        return this;
    }

    /** Adds an options header (hop-by-hop or destination options) of {@code units} 8-byte units, PadN-filled. */
    public Ipv6TestPackets options(int type, int units) {
        byte[] bytes = new byte[units * 8];
        bytes[1] = (byte) (units - 1);
        bytes[2] = 1;
        bytes[3] = (byte) (units * 8 - 4);
        extensionTypes.add(new int[] {type});
        extensionBytes.add(bytes);
        return this;
    }

    /** Adds a type 4 (segment routing style) routing header with {@code segmentsLeft} and no addresses. */
    public Ipv6TestPackets routing(int segmentsLeft) {
        byte[] bytes = new byte[8];
        bytes[2] = 4;
        bytes[3] = (byte) segmentsLeft;
        extensionTypes.add(new int[] {ROUTING});
        extensionBytes.add(bytes);
        return this;
    }

    /** Adds a fragment header with this offset (in 8-byte units) and more-fragments flag. */
    public Ipv6TestPackets fragment(int offsetUnits, boolean more) {
        byte[] bytes = new byte[8];
        int field = offsetUnits << 3 | (more ? 1 : 0);
        bytes[2] = (byte) (field >>> 8);
        bytes[3] = (byte) field;
        bytes[7] = 0x42;
        extensionTypes.add(new int[] {FRAGMENT});
        extensionBytes.add(bytes);
        return this;
    }

    private byte[] upperLayer() {
        if (protocol == GRE) {
            return payload.clone();
        }
        ByteBuffer l4;
        if (protocol == TCP) {
            l4 = ByteBuffer.allocate(20 + payload.length);
            l4.putShort((short) sourcePort).putShort((short) destinationPort).putInt((int) sequence)
                    .putInt((int) acknowledgement);
            l4.put((byte) 0x50).put((byte) tcpFlags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        } else if (protocol == UDP) {
            l4 = ByteBuffer.allocate(8 + payload.length);
            l4.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                    .putShort((short) 0);
        } else if (icmpType >= 128) {
            l4 = ByteBuffer.allocate(8 + payload.length);
            int identifier = icmpType == 128 ? sourcePort : destinationPort;
            l4.put((byte) icmpType).put((byte) 0).putShort((short) 0).putShort((short) identifier).putShort((short) 1);
        } else {
            l4 = ByteBuffer.allocate(8 + payload.length);
            l4.put((byte) icmpType).put((byte) icmpCode).putShort((short) 0).putInt(icmpType == 2 ? 1280 : 0);
        }
        l4.put(payload);
        byte[] bytes = l4.array();
        int checksum = ReferenceChecksum.checksum(bytes, pseudoHeaderSum(source, destination, protocol, bytes.length));
        if (protocol == UDP && checksum == 0) {
            checksum = 0xffff;
        }
        if (protocol == UDP && zeroUdpChecksum) {
            checksum = 0;
        }
        int at = protocol == TCP ? 16 : protocol == UDP ? 6 : 2;
        bytes[at] = (byte) (checksum >>> 8);
        bytes[at + 1] = (byte) checksum;
        return bytes;
    }

    public byte[] bytes() {
        byte[] l4 = upperLayer();
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        for (int i = 0; i < extensionBytes.size(); i++) {
            byte[] header = extensionBytes.get(i).clone();
            header[0] = (byte) (i + 1 < extensionTypes.size() ? extensionTypes.get(i + 1)[0] : protocol);
            extensions.writeBytes(header);
        }
        byte[] chain = extensions.toByteArray();
        ByteBuffer packet = ByteBuffer.allocate(40 + chain.length + l4.length);
        packet.putInt(6 << 28 | 0x12345);
        packet.putShort((short) (chain.length + l4.length));
        packet.put((byte) (extensionTypes.isEmpty() ? protocol : extensionTypes.get(0)[0]));
        packet.put((byte) hopLimit);
        packet.put(source).put(destination).put(chain).put(l4);
        return packet.array();
    }

    public MemorySegment build() {
        return MemorySegment.ofArray(bytes());
    }

    private static long pseudoHeaderSum(byte[] source, byte[] destination, int protocol, int length) {
        long sum = 0;
        for (int i = 0; i < 16; i += 2) {
            sum += (source[i] & 0xff) << 8 | source[i + 1] & 0xff;
            sum += (destination[i] & 0xff) << 8 | destination[i + 1] & 0xff;
        }
        return sum + (length >>> 16) + (length & 0xffff) + protocol;
    }

    /**
     * Whether the TCP, UDP or ICMPv6 checksum of the IPv6 packet in {@code bytes} verifies, walking hop-by-hop,
     * routing, fragment and destination options headers to find it. A UDP checksum of 0 is invalid over IPv6.
     */
    public static boolean isChecksumValid(byte[] bytes) {
        int next = bytes[6] & 0xff;
        int at = 40;
        int end = 40 + ((bytes[4] & 0xff) << 8 | bytes[5] & 0xff);
        while (next == HOP_BY_HOP || next == ROUTING || next == FRAGMENT || next == DESTINATION_OPTIONS) {
            int length = next == FRAGMENT ? 8 : ((bytes[at + 1] & 0xff) + 1) * 8;
            next = bytes[at] & 0xff;
            at += length;
        }
        byte[] l4 = java.util.Arrays.copyOfRange(bytes, at, end);
        if (next == UDP && l4[6] == 0 && l4[7] == 0) {
            return false;
        }
        byte[] source = java.util.Arrays.copyOfRange(bytes, 8, 24);
        byte[] destination = java.util.Arrays.copyOfRange(bytes, 24, 40);
        return ReferenceChecksum.onesComplementSum(l4, pseudoHeaderSum(source, destination, next, l4.length))
                == 0xffff;
    }

    /** {@link #isChecksumValid} for the packet at the start of {@code segment}, {@code length} bytes long. */
    public static boolean isChecksumValid(MemorySegment segment, int length) {
        return isChecksumValid(ReferenceChecksum.copy(segment, 0, length));
    }
}
