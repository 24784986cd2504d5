package dev.algd.io;

import static dev.algd.io.TestFrames.fixture;
import static dev.algd.io.TestFrames.ip;
import static dev.algd.io.TestFrames.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArpTest {
    private final ArpMessage message = new ArpMessage();

    private ArpReason parseFrame(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        return Arp.parse(segment, Ethernet.HEADER_LENGTH, frame.length, message);
    }

    @Test
    void linuxRequestIsParsed() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        assertEquals(Ethernet.TYPE_ARP, Ethernet.type(MemorySegment.ofArray(frame), 0));
        assertEquals(ArpReason.OK, parseFrame(frame));
        assertEquals(Arp.OPERATION_REQUEST, message.operation);
        assertEquals(mac("32:4e:32:15:79:9c"), message.senderMac);
        assertEquals(ip("192.0.2.2"), message.senderAddress);
        assertEquals(0, message.targetMac);
        assertEquals(ip("192.0.2.1"), message.targetAddress);
        assertEquals(false, message.isProbe());
        assertEquals(false, message.isGratuitous());
    }

    @Test
    void linuxReplyIsParsed() {
        assertEquals(ArpReason.OK, parseFrame(fixture("/arp/linux-6.18-reply.hex")));
        assertEquals(Arp.OPERATION_REPLY, message.operation);
        assertEquals(mac("0a:87:c3:65:94:d6"), message.senderMac);
        assertEquals(ip("192.0.2.1"), message.senderAddress);
        assertEquals(mac("7a:48:32:8e:4d:9a"), message.targetMac);
        assertEquals(ip("192.0.2.2"), message.targetAddress);
    }

    @Test
    void writtenReplyIsByteForByteWhatLinuxSends() {
        byte[] linux = fixture("/arp/linux-6.18-reply.hex");
        MemorySegment out = MemorySegment.ofArray(new byte[28]);
        int length = Arp.write(out, 0, new ArpMessage().set(Arp.OPERATION_REPLY, mac("0a:87:c3:65:94:d6"),
                ip("192.0.2.1"), mac("7a:48:32:8e:4d:9a"), ip("192.0.2.2")));
        assertEquals(Arp.LENGTH, length);
        assertArrayEquals(Arrays.copyOfRange(linux, 14, 42), out.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void writtenMessagesParseBackUnchanged() {
        Random random = new Random(826);
        MemorySegment buffer = MemorySegment.ofArray(new byte[28]);
        for (int i = 0; i < 1000; i++) {
            ArpMessage written = new ArpMessage().set(1 + random.nextInt(2), random.nextLong() & Ethernet.BROADCAST,
                    random.nextInt(), random.nextLong() & Ethernet.BROADCAST, random.nextInt());
            Arp.write(buffer, 0, written);
            assertEquals(ArpReason.OK, Arp.parse(buffer, 0, 28, message));
            assertEquals(written.toString(), message.toString());
            assertEquals(written.senderMac, message.senderMac);
            assertEquals(written.targetMac, message.targetMac);
        }
    }

    @Test
    void twentySevenBytesAreTruncated() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        assertEquals(ArpReason.TRUNCATED, Arp.parse(MemorySegment.ofArray(frame), 14, frame.length - 1, message));
    }

    @Test
    void nonEthernetHardwareIsRefused() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        frame[15] = 6;   // IEEE 802 networks
        assertEquals(ArpReason.NOT_ETHERNET, parseFrame(frame));
    }

    @Test
    void nonIpv4ProtocolIsRefused() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        frame[16] = (byte) 0x86;
        frame[17] = (byte) 0xdd;
        assertEquals(ArpReason.NOT_IPV4, parseFrame(frame));
    }

    @Test
    void wrongAddressLengthsAreRefused() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        frame[18] = 8;
        assertEquals(ArpReason.BAD_ADDRESS_LENGTH, parseFrame(frame));
        frame = fixture("/arp/linux-6.18-request.hex");
        frame[19] = 16;
        assertEquals(ArpReason.BAD_ADDRESS_LENGTH, parseFrame(frame));
    }

    @Test
    void rarpRequestIsAnUnknownOperation() {
        byte[] frame = fixture("/arp/linux-6.18-request.hex");
        frame[21] = 3;   // RFC 903 reverse request
        assertEquals(ArpReason.UNKNOWN_OPERATION, parseFrame(frame));
    }

    @Test
    void anyBytesGiveAReasonWithoutReadingOutsideTheBounds() {
        Random random = new Random(1071);
        byte[] seed = fixture("/arp/linux-6.18-request.hex");
        for (int i = 0; i < 20_000; i++) {
            int length = random.nextInt(40);
            byte[] bytes = new byte[length];
            if (random.nextBoolean() && length > 0) {
                // A real request with one bit flipped, so that the deeper checks are reached too.
                System.arraycopy(seed, 14, bytes, 0, Math.min(length, 28));
                bytes[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
            } else {
                random.nextBytes(bytes);
            }
            // A segment of exactly the bounds: any access outside them would throw IndexOutOfBoundsException.
            ArpReason reason = Arp.parse(MemorySegment.ofArray(bytes), 0, length, message);
            assertTrue(reason != null);
            if (length < 28) {
                assertEquals(ArpReason.TRUNCATED, reason);
            }
        }
    }
}
