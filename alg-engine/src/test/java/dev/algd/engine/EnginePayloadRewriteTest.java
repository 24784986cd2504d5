package dev.algd.engine;

import static dev.algd.engine.testing.TestPackets.tcpPayload;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.PortLineAlg;
import dev.algd.engine.alg.RewriteReason;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The payload rewriter through the engine, with alg-behaviour.md §5's FTP vectors from vyatta's
 * {@code dp_test_npf_alg_ftp.c}: client 1.1.1.11:46682, server 2.2.2.11:21, {@code PORT 1,1,1,11,38,91}, and SNAT
 * to 2.2.2.20 (ftp7, same length), 2.2.2.200 (ftp8) or 2.2.2.5 (ftp9, -1 byte). alg-behaviour.md calls ftp8 "+2
 * bytes", but {@code 1,1,1,11} to {@code 2,2,2,200} is one byte longer; the two-byte growth is shown with a client
 * 1.1.1.2 ({@code 1,1,1,2} to {@code 2,2,2,200}).
 */
class EnginePayloadRewriteTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private String client = "1.1.1.11";
    private static final String SERVER = "2.2.2.11";
    private static final int CLIENT_PORT = 46682;
    private static final String PORT_LINE = "PORT 1,1,1,11,38,91\r\n";
    private static final String SHORT_PORT_LINE = "PORT 1,1,1,2,38,91\r\n";
    private static final int ROOM = 2048;

    private final PortLineAlg alg = new PortLineAlg(AlgId.FTP);
    private final Arena arena = Arena.ofAuto();
    private EngineHarness h;
    private String translation;

    private void setUp(String translationAddress) {
        translation = translationAddress;
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                        null, null, false, AddressRange.parse(translationAddress), null)));
        h = new EngineHarness(config, 64).withEngine(new Engine(config, new EngineLimits(64), Timeouts.defaults(),
                List.of(alg, new PortLineAlg(AlgId.SIP))));
        send(TestPackets.tcp().from(client, CLIENT_PORT).to(SERVER, 21).seq(999).flags(SYN), INSIDE);
        send(TestPackets.tcp().from(SERVER, 21).to(translationAddress, CLIENT_PORT).seq(4999).ack(1000)
                .flags(SYN | ACK), OUTSIDE);
    }

    /** Sends a packet in a buffer with room to grow; returns the buffer (the packet starts at 0). */
    private MemorySegment send(TestPackets packet, int ingress) {
        MemorySegment buffer = arena.allocate(ROOM);
        int length = packet.writeInto(buffer, 0);
        assertEquals(Verdict.FORWARD, h.send(buffer, 0, length, ROOM, ingress));
        return buffer;
    }

    private MemorySegment sendFromClient(long seq, String payload) {
        return send(TestPackets.tcp().from(client, CLIENT_PORT).to(SERVER, 21).seq(seq).ack(5000).flags(ACK | PSH)
                .payload(payload), INSIDE);
    }

    private static TcpHeader tcp(MemorySegment packet) {
        return new TcpHeader().wrap(packet, 20);
    }

    @Test
    void portCommandWithATranslationOfTheSameLengthIsRewrittenInPlace() {
        setUp("2.2.2.20");
        MemorySegment packet = sendFromClient(1000, PORT_LINE);

        assertEquals("PORT 2,2,2,20,38,91\r\n", tcpPayload(packet));
        assertEquals(40 + PORT_LINE.length(), h.packet.length);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(packet, 0));
        assertEquals(RewriteReason.OK, alg.lastReason);
        MemorySegment next = sendFromClient(1021, "LIST\r\n");
        assertEquals(1021, tcp(next).sequenceNumber(), "no length change, no shift");
    }

    @Test
    void longerTranslationGrowsThePacketAndShiftsLaterSequenceNumbers() {
        setUp("2.2.2.200");
        MemorySegment packet = sendFromClient(1000, PORT_LINE);

        assertEquals("PORT 2,2,2,200,38,91\r\n", tcpPayload(packet));
        assertEquals(40 + PORT_LINE.length() + 1, new Ipv4Header().wrap(packet, 0).totalLength());
        assertEquals(40 + PORT_LINE.length() + 1, h.packet.length, "packet-io sends the new length");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(packet, 0));
        assertEquals(1000, tcp(packet).sequenceNumber(), "the rewritten segment itself keeps its number");

        MemorySegment next = sendFromClient(1021, "LIST\r\n");
        assertEquals(1022, tcp(next).sequenceNumber(), "later client segments +1");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(next, 0));

        // The server acknowledges (and selectively acknowledges) in the shifted space: -1 on the way back.
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 21).to("2.2.2.200", CLIENT_PORT).seq(5000).ack(1028)
                .sack(1031, 1041).flags(ACK), OUTSIDE);
        assertEquals(1027, tcp(ack).acknowledgmentNumber());
        assertEquals(1030, ack.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 44)
                & 0xffff_ffffL);
        assertEquals(1040, ack.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 48)
                & 0xffff_ffffL);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));

        MemorySegment early = send(TestPackets.tcp().from(SERVER, 21).to("2.2.2.200", CLIENT_PORT).seq(5000).ack(1000)
                .flags(ACK), OUTSIDE);
        assertEquals(1000, tcp(early).acknowledgmentNumber(), "an ack up to the rewritten segment is unshifted");
    }

    @Test
    void retransmissionOfARewrittenSegmentIsRewrittenIdentically() {
        setUp("2.2.2.200");
        byte[] first = sendFromClient(1000, PORT_LINE).asSlice(0, h.packet.length).toArray(ValueLayout.JAVA_BYTE);
        sendFromClient(1021, "LIST\r\n");
        byte[] again = sendFromClient(1000, PORT_LINE).asSlice(0, h.packet.length).toArray(ValueLayout.JAVA_BYTE);

        assertArrayEquals(first, again);
        assertEquals(1028, tcp(sendFromClient(1027, "QUIT\r\n")).sequenceNumber(), "the delta was not counted twice");
    }

    @Test
    void twoBytesLongerShiftSequenceNumbersByTwo() {
        client = "1.1.1.2";
        setUp("2.2.2.200");
        MemorySegment packet = sendFromClient(1000, SHORT_PORT_LINE);
        assertEquals("PORT 2,2,2,200,38,91\r\n", tcpPayload(packet));
        assertEquals(40 + SHORT_PORT_LINE.length() + 2, h.packet.length);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(packet, 0));
        assertEquals(1022, tcp(sendFromClient(1020, "LIST\r\n")).sequenceNumber());
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 21).to("2.2.2.200", CLIENT_PORT).seq(5000).ack(1028)
                .flags(ACK), OUTSIDE);
        assertEquals(1026, tcp(ack).acknowledgmentNumber());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));
    }

    @Test
    void shorterTranslationShrinksThePacketAndShiftsBack() {
        setUp("2.2.2.5");
        MemorySegment packet = sendFromClient(1000, PORT_LINE);

        assertEquals("PORT 2,2,2,5,38,91\r\n", tcpPayload(packet));
        assertEquals(40 + PORT_LINE.length() - 1, h.packet.length);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(packet, 0));
        assertEquals(1020, tcp(sendFromClient(1021, "LIST\r\n")).sequenceNumber());
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 21).to("2.2.2.5", CLIENT_PORT).seq(5000).ack(1026)
                .flags(ACK), OUTSIDE);
        assertEquals(1027, tcp(ack).acknowledgmentNumber());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ack, 0));
    }

    @Test
    void growthBeyondThePacketsBufferIsRefusedAndCounted() {
        setUp("2.2.2.200");
        MemorySegment packet = TestPackets.tcp().from(client, CLIENT_PORT).to(SERVER, 21).seq(1000).ack(5000)
                .flags(ACK | PSH).payload(PORT_LINE).build();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE), "capacity 0: the packet cannot grow");

        assertEquals(RewriteReason.NO_ROOM, alg.lastReason);
        assertEquals(PORT_LINE, tcpPayload(packet));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(packet, 0));
        assertEquals(1, h.engine.algCounters().count(AlgEvent.PAYLOAD_REWRITE_NO_ROOM));
        assertEquals(1021, tcp(sendFromClient(1021, "LIST\r\n")).sequenceNumber());
    }

    @Test
    void udpPayloadRewriteFixesTheUdpLengthAndChecksum() {
        setUp("2.2.2.200");
        MemorySegment datagram = send(TestPackets.udp().from(client, 5060).to(SERVER, 5060).payload(PORT_LINE),
                INSIDE);
        UdpHeader udp = new UdpHeader().wrap(datagram, 20);
        assertEquals(8 + PORT_LINE.length() + 1, udp.length());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(datagram, 0));

        MemorySegment unchecked = send(TestPackets.udp().from(client, 5061).to(SERVER, 5060).payload(PORT_LINE)
                .withoutUdpChecksum(), INSIDE);
        assertEquals(0, new UdpHeader().wrap(unchecked, 20).checksum(), "no checksum stays no checksum");
        assertTrue(ReferenceChecksum.isIpHeaderValid(unchecked, 0));
    }
}
