package dev.algd.engine.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Ipv4Header ip = new Ipv4Header();

    @Test
    void fieldsAreReadBigEndianAndUnsigned() {
        MemorySegment packet = TestPackets.tcp().from("192.168.1.10", 40000).to("198.51.100.7", 80).ttl(200)
                .payload("hello").build();
        ip.wrap(packet, 0);
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(45, ip.totalLength());
        assertEquals(0x1234, ip.identification());
        assertEquals(200, ip.ttl());
        assertEquals(Ipv4Header.PROTOCOL_TCP, ip.protocol());
        assertEquals(TestPackets.address("192.168.1.10"), ip.sourceAddress());
        assertEquals(TestPackets.address("198.51.100.7"), ip.destinationAddress());
        assertEquals(20, ip.payloadOffset());
        assertFalse(ip.isFragment());

        TcpHeader tcp = new TcpHeader().wrap(packet, 20);
        assertEquals(40000, tcp.sourcePort());
        assertEquals(80, tcp.destinationPort());
        assertEquals(20, tcp.headerLength());
        assertEquals(TcpHeader.ACK, tcp.flags());
        assertEquals(1000, tcp.sequenceNumber());
        assertEquals(65535, tcp.window());
    }

    @Test
    void writesLandWhereTheRfcPutsTheFields() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        ip.wrap(packet, 0);
        ip.sourceAddress(0xc0000201);
        ip.destinationAddress(0xc6336401);
        ip.ttl(255);
        assertEquals((byte) 0xc0, packet.get(ValueLayout.JAVA_BYTE, 12));
        assertEquals((byte) 0x01, packet.get(ValueLayout.JAVA_BYTE, 15));
        assertEquals((byte) 0xc6, packet.get(ValueLayout.JAVA_BYTE, 16));
        assertEquals(255, ip.ttl());
        UdpHeader udp = new UdpHeader().wrap(packet, 20);
        udp.sourcePort(65535);
        assertEquals(65535, udp.sourcePort());
        assertEquals(8, udp.length());
    }

    @Test
    void wellFormedPacketIsOkEvenWithTrailingPadding() {
        MemorySegment frame = MemorySegment.ofArray(new byte[100]);
        int length = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).writeInto(frame, 0);
        assertEquals(Ipv4Reason.OK, ip.wrap(frame, 0).validate(length + 18));
    }

    @Test
    void fewerThanTwentyBytesIsTruncated() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        assertEquals(Ipv4Reason.TRUNCATED, ip.wrap(packet, 0).validate(19));
    }

    @Test
    void versionOtherThanFourIsRejected() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x65);
        assertEquals(Ipv4Reason.NOT_VERSION_4, ip.wrap(packet, 0).validate(packet.byteSize()));
    }

    @Test
    void headerLengthBelowFiveWordsIsRejected() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x44);
        assertEquals(Ipv4Reason.HEADER_LENGTH_BELOW_5, ip.wrap(packet, 0).validate(packet.byteSize()));
    }

    @Test
    void headerLengthBeyondTheBytesIsTruncated() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x4f);
        assertEquals(Ipv4Reason.TRUNCATED, ip.wrap(packet, 0).validate(packet.byteSize()));
    }

    @Test
    void totalLengthAboveTheBytesReceivedIsRejected() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).payload("abcd").build();
        assertEquals(Ipv4Reason.BAD_TOTAL_LENGTH, ip.wrap(packet, 0).validate(packet.byteSize() - 1));
    }

    @Test
    void totalLengthBelowTheHeaderLengthIsRejected() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        setWithValidChecksum(packet, 2, 19);
        assertEquals(Ipv4Reason.BAD_TOTAL_LENGTH, ip.wrap(packet, 0).validate(packet.byteSize()));
    }

    @Test
    void corruptedHeaderChecksumIsRejected() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).build();
        packet.set(ValueLayout.JAVA_BYTE, 8, (byte) 63);
        assertEquals(Ipv4Reason.BAD_HEADER_CHECKSUM, ip.wrap(packet, 0).validate(packet.byteSize()));
    }

    @Test
    void firstFragmentWithMoreFragmentsIsAFragment() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).flagsFragment(0x2000).build();
        assertTrue(ip.wrap(packet, 0).isMoreFragments());
        assertEquals(Ipv4Reason.FRAGMENT, ip.validate(packet.byteSize()));
    }

    @Test
    void laterFragmentWithAnOffsetIsAFragment() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).flagsFragment(185).build();
        assertEquals(185, ip.wrap(packet, 0).fragmentOffset());
        assertEquals(Ipv4Reason.FRAGMENT, ip.validate(packet.byteSize()));
    }

    @Test
    void dontFragmentAloneIsNotAFragment() {
        MemorySegment packet = TestPackets.udp().from("10.0.0.1", 1).to("10.0.0.2", 2).flagsFragment(0x4000).build();
        assertTrue(ip.wrap(packet, 0).isDontFragment());
        assertEquals(Ipv4Reason.OK, ip.validate(packet.byteSize()));
    }

    private static void setWithValidChecksum(MemorySegment packet, int at, int value) {
        packet.set(U16, at, (short) value);
        packet.set(U16, 10, (short) 0);
        packet.set(U16, 10, (short) ReferenceChecksum.checksum(packet.asSlice(0, 20).toArray(ValueLayout.JAVA_BYTE), 0));
    }
}
