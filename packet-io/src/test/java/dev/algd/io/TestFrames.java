package dev.algd.io;

import dev.algd.engine.config.Ipv4Addresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds test frames byte by byte (big-endian, checksums per RFC 1071), and reads hex fixtures. */
final class TestFrames {
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int TCP_SYN = 0x02;

    private TestFrames() {
    }

    static int ip(String dotted) {
        return Ipv4Addresses.parse(dotted);
    }

    static long mac(String colons) {
        return Long.parseLong(colons.replace(":", ""), 16);
    }

    /** A fixture under src/test/resources: '#' lines are comments, the rest is hex with any whitespace. */
    static byte[] fixture(String resource) {
        try (InputStream in = TestFrames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.startsWith("#")) {
                    hex.append(line.replaceAll("\\s", ""));
                }
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ethernet(long destination, long source, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        putMac(b, destination);
        putMac(b, source);
        b.putShort((short) type);
        b.put(payload);
        return b.array();
    }

    static byte[] arp(int operation, long senderMac, int senderAddress, long targetMac, int targetAddress) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) operation);
        putMac(b, senderMac);
        b.putInt(senderAddress);
        putMac(b, targetMac);
        b.putInt(targetAddress);
        return b.array();
    }

    static byte[] ipv4(int protocol, int source, int destination, int ttl, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length));
        b.putShort((short) 0x1234).putShort((short) 0x4000);   // id, DF
        b.put((byte) ttl).put((byte) protocol).putShort((short) 0);
        b.putInt(source).putInt(destination);
        b.put(l4);
        byte[] packet = b.array();
        int checksum = checksum(packet, 0, 20, 0);
        packet[10] = (byte) (checksum >>> 8);
        packet[11] = (byte) checksum;
        return packet;
    }

    static byte[] icmpEcho(int type, int identifier, int sequence, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) identifier).putShort((short) sequence);
        b.put(data);
        byte[] icmp = b.array();
        int checksum = checksum(icmp, 0, icmp.length, 0);
        icmp[2] = (byte) (checksum >>> 8);
        icmp[3] = (byte) checksum;
        return icmp;
    }

    /**
     * A TCP segment with a complete checksum, or, with {@code partial}, only the folded pseudo-header sum in the
     * field, as Linux leaves it for CHECKSUM_PARTIAL (tcp_v4_send_check: {@code th->check = ~tcp_v4_check(...)}).
     */
    static byte[] tcp(int source, int destination, int sourcePort, int destinationPort, int flags, byte[] payload,
            boolean partial) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putInt(1000).putInt(0);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        byte[] tcp = b.array();
        long pseudo = pseudoHeader(source, destination, TCP, tcp.length);
        int field = partial ? fold(pseudo) : checksum(tcp, 0, tcp.length, pseudo);
        tcp[16] = (byte) (field >>> 8);
        tcp[17] = (byte) field;
        return tcp;
    }

    /** Whether the TCP/UDP checksum of the IPv4 packet at {@code offset} verifies. */
    static boolean l4ChecksumVerifies(byte[] frame, int offset) {
        int headerLength = (frame[offset] & 0x0f) * 4;
        int totalLength = (frame[offset + 2] & 0xff) << 8 | frame[offset + 3] & 0xff;
        int protocol = frame[offset + 9] & 0xff;
        int source = ByteBuffer.wrap(frame, offset + 12, 4).getInt();
        int destination = ByteBuffer.wrap(frame, offset + 16, 4).getInt();
        int l4Length = totalLength - headerLength;
        return checksum(frame, offset + headerLength, l4Length, pseudoHeader(source, destination, protocol, l4Length)) == 0;
    }

    static boolean ipv4HeaderChecksumVerifies(byte[] frame, int offset) {
        return checksum(frame, offset, (frame[offset] & 0x0f) * 4, 0) == 0;
    }

    static long pseudoHeader(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + length;
    }

    static int checksum(byte[] bytes, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += (bytes[offset + i] & 0xff) << 8 | bytes[offset + i + 1] & 0xff;
        }
        if ((length & 1) != 0) {
            sum += (bytes[offset + length - 1] & 0xff) << 8;
        }
        return ~fold(sum) & 0xffff;
    }

    static int fold(long sum) {
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 8 | bytes[offset + 1] & 0xff;
    }

    static int u32(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset, 4).getInt();
    }

    static long macAt(byte[] bytes, int offset) {
        return (long) u16(bytes, offset) << 32 | u32(bytes, offset + 2) & 0xffff_ffffL;
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }
}
