package dev.algd.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.testing.GreTestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class GreHeaderTest {
    private final GreHeader gre = new GreHeader();

    private GreReason validate(MemorySegment packet) {
        gre.wrap(packet, 20);
        return gre.validate(packet.byteSize() - 20);
    }

    @Test
    void plainVersion0HeaderIsFourBytes() {
        MemorySegment packet = GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").build();
        assertEquals(GreReason.OK, validate(packet));
        assertEquals(4, gre.headerLength());
        assertEquals(0, gre.version());
        assertEquals(0x0800, gre.protocolType());
        assertFalse(gre.hasKey());
    }

    @Test
    void version0ChecksumKeyAndSequenceAreReadInRfc2890Order() {
        MemorySegment packet = GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").checksum()
                .key(0xdeadbeefL).sequence(0x01020304L).build();
        assertEquals(GreReason.OK, validate(packet));
        assertEquals(16, gre.headerLength());
        assertTrue(gre.hasChecksum());
        assertEquals(0xdeadbeefL, gre.key());
        assertEquals(0x01020304L, gre.sequenceNumber());
        assertEquals(GreTestPackets.greChecksum(packet, 0), gre.checksum());
    }

    @Test
    void pptpHeaderGivesCallIdPayloadLengthSequenceAndAcknowledgment() {
        MemorySegment packet = GreTestPackets.pptp(0x4242).from("192.0.2.1").to("198.51.100.1").sequence(7)
                .acknowledgment(5).payload(new byte[] {(byte) 0xff, 3, 0, 0x21, 0x45}).build();
        assertEquals(GreReason.OK, validate(packet));
        assertEquals(1, gre.version());
        assertEquals(16, gre.headerLength());
        assertEquals(0x4242, gre.callId());
        assertEquals(5, gre.payloadLength());
        assertEquals(7, gre.sequenceNumber());
        assertTrue(gre.hasAcknowledgmentNumber());
        assertEquals(5, gre.acknowledgmentNumber());
    }

    @Test
    void pptpAcknowledgmentWithoutSequenceFollowsTheKey() {
        MemorySegment packet = GreTestPackets.pptp(9).from("192.0.2.1").to("198.51.100.1").acknowledgment(77).build();
        assertEquals(GreReason.OK, validate(packet));
        assertEquals(12, gre.headerLength());
        assertEquals(77, gre.acknowledgmentNumber());
    }

    @Test
    void headerShorterThanItsFlagsAnnounceIsTruncated() {
        MemorySegment packet = GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").key(1).sequence(2)
                .payload(new byte[0]).build();
        gre.wrap(packet, 20);
        assertEquals(GreReason.TRUNCATED, gre.validate(11));
        assertEquals(0, gre.headerLength());
        assertEquals(GreReason.TRUNCATED, gre.validate(3));
        assertEquals(GreReason.OK, gre.validate(12));
    }

    @Test
    void versionsAbovePptpAreUnsupported() {
        MemorySegment packet = GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").build();
        packet.set(ValueLayout.JAVA_BYTE, 21, (byte) 2);
        assertEquals(GreReason.UNSUPPORTED_VERSION, validate(packet));
    }

    @Test
    void routingPresentIsRefused() {
        MemorySegment packet = GreTestPackets.v0().from("192.0.2.1").to("198.51.100.1").build();
        packet.set(ValueLayout.JAVA_BYTE, 20, (byte) 0x40);
        assertEquals(GreReason.ROUTING_PRESENT, validate(packet));
    }

    @Test
    void pptpWithoutKeyOrWithChecksumHasBadFlags() {
        MemorySegment withoutKey = GreTestPackets.pptp(1).from("192.0.2.1").to("198.51.100.1").build();
        withoutKey.set(ValueLayout.JAVA_BYTE, 20, (byte) 0x00);
        assertEquals(GreReason.PPTP_BAD_FLAGS, validate(withoutKey));
        MemorySegment withChecksum = GreTestPackets.pptp(1).from("192.0.2.1").to("198.51.100.1").build();
        withChecksum.set(ValueLayout.JAVA_BYTE, 20, (byte) 0xa0);
        assertEquals(GreReason.PPTP_BAD_FLAGS, validate(withChecksum));
    }

    @Test
    void pptpCarryingAnythingButPppIsRefused() {
        MemorySegment packet = GreTestPackets.pptp(1).from("192.0.2.1").to("198.51.100.1").build();
        packet.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 22, (short) 0x0800);
        assertEquals(GreReason.PPTP_NOT_PPP, validate(packet));
    }
}
