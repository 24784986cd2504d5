package dev.algd.engine;

import static dev.algd.engine.EngineHarness.GATEWAY;
import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.address;
import static dev.algd.engine.EngineHarness.ip;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.EngineHarness.translateTo;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.packet.IcmpHeader;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineForwardingTest {

    private static MemorySegment syn(String source, int port, String destination) {
        return TestPackets.tcp().from(source, port).to(destination, 80).flags(SYN).build();
    }

    @Test
    void echoRequestToAlgdsOwnAddressIsAnsweredInPlace() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment ping = TestPackets.icmpEcho().from(INSIDE_HOST, 0).identifier(0x4242).sequence(9)
                .to("192.168.1.1", 0).ttl(5).payload("abcdefgh").build();
        byte[] data = ping.asSlice(28).toArray(ValueLayout.JAVA_BYTE);

        assertEquals(Verdict.FORWARD, h.send(ping, INSIDE));

        IcmpHeader icmp = new IcmpHeader().wrap(ping, 20);
        assertEquals(address("192.168.1.1"), ip(ping).sourceAddress());
        assertEquals(address(INSIDE_HOST), ip(ping).destinationAddress());
        assertEquals(IcmpHeader.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0x4242, icmp.identifier());
        assertEquals(9, icmp.sequenceNumber());
        assertArrayEquals(data, ping.asSlice(28).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(Engine.LOCAL_REPLY_TTL, ip(ping).ttl());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(ping, 0));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(address(INSIDE_HOST), h.packet.nextHop);
        assertEquals(1, h.engine.counters().echoRepliesSent());
        assertEquals(0, h.engine.sessions(h.now).size());
    }

    @Test
    void echoRequestFromBehindTheGatewayIsAnsweredThroughTheGateway() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment ping = TestPackets.icmpEcho().from("8.8.8.8", 0).identifier(1).to(OUTSIDE_ADDRESS, 0).build();
        assertEquals(Verdict.FORWARD, h.send(ping, OUTSIDE));
        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(address(GATEWAY), h.packet.nextHop);
        assertEquals(address("8.8.8.8"), ip(ping).destinationAddress());
    }

    @Test
    void tcpToAlgdsOwnAddressIsDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        assertEquals(Verdict.DROP, h.send(syn(INSIDE_HOST, 40000, "192.168.1.1"), INSIDE));
        assertEquals(1, h.drops(DropReason.LOCAL_DESTINATION));
    }

    @Test
    void ttlIsDecrementedOnForwardAndTtlOneIsDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment two = TestPackets.udp().from(INSIDE_HOST, 1000).to(SERVER, 53).ttl(2).build();
        assertEquals(Verdict.FORWARD, h.send(two, INSIDE));
        assertEquals(1, ip(two).ttl());
        MemorySegment one = TestPackets.udp().from(INSIDE_HOST, 1001).to(SERVER, 53).ttl(1).build();
        assertEquals(Verdict.DROP, h.send(one, INSIDE));
        assertEquals(1, h.drops(DropReason.TTL_EXCEEDED));
        assertEquals(1, h.engine.sessions(h.now).size(), "a dropped packet creates no session");
        MemorySegment sameFlowTtlOne = TestPackets.udp().from(INSIDE_HOST, 1000).to(SERVER, 53).ttl(1).build();
        assertEquals(Verdict.DROP, h.send(sameFlowTtlOne, INSIDE));
        assertEquals(2, h.drops(DropReason.TTL_EXCEEDED));
    }

    @Test
    void destinationWithoutRouteIsDropped() {
        EngineConfig noDefault = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24")))), List.of(), List.of());
        EngineHarness h = new EngineHarness(noDefault, 16);
        assertEquals(Verdict.DROP, h.send(syn(INSIDE_HOST, 40000, "10.0.0.1"), INSIDE));
        assertEquals(1, h.drops(DropReason.NO_ROUTE));
        assertEquals(0, h.engine.counters().sessionsCreated());
    }

    @Test
    void fragmentsAreDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment first = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).flagsFragment(0x2000).build();
        MemorySegment later = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).flagsFragment(0x0010).build();
        assertEquals(Verdict.DROP, h.send(first, INSIDE));
        assertEquals(Verdict.DROP, h.send(later, INSIDE));
        assertEquals(2, h.drops(DropReason.FRAGMENT));
    }

    @Test
    void malformedHeadersAreDroppedEachWithItsReason() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment shortIhl = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).build();
        shortIhl.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x44);
        assertEquals(Verdict.DROP, h.send(shortIhl, INSIDE));
        MemorySegment longer = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).payload("1234").build();
        assertEquals(Verdict.DROP, h.send(longer, 0, (int) longer.byteSize() - 2, INSIDE));
        MemorySegment corrupted = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).build();
        corrupted.set(ValueLayout.JAVA_BYTE, 15, (byte) 99);
        assertEquals(Verdict.DROP, h.send(corrupted, INSIDE));
        MemorySegment version5 = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).build();
        version5.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x55);
        assertEquals(Verdict.DROP, h.send(version5, INSIDE));
        assertEquals(Verdict.DROP, h.send(MemorySegment.ofArray(new byte[12]), INSIDE));

        assertEquals(1, h.drops(DropReason.BAD_HEADER_LENGTH));
        assertEquals(1, h.drops(DropReason.BAD_TOTAL_LENGTH));
        assertEquals(1, h.drops(DropReason.BAD_HEADER_CHECKSUM));
        assertEquals(1, h.drops(DropReason.NOT_IPV4));
        assertEquals(1, h.drops(DropReason.TRUNCATED));
    }

    @Test
    void lengthBeyondTheSegmentIsTruncatedNotAnException() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment packet = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).build();
        assertEquals(Verdict.DROP, h.send(packet.asSlice(0, 24), 0, 500, INSIDE));
        assertEquals(1, h.drops(DropReason.BAD_TOTAL_LENGTH));
    }

    @Test
    void truncatedTransportHeaderIsDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment tcp = TestPackets.tcp().from(INSIDE_HOST, 1).to(SERVER, 2).build();
        tcp.set(ValueLayout.JAVA_BYTE, 32, (byte) 0xf0);
        assertEquals(Verdict.DROP, h.send(tcp, INSIDE), "data offset of 60 bytes in a 20-byte header");
        assertEquals(1, h.drops(DropReason.TRUNCATED_L4_HEADER));
    }

    @Test
    void otherProtocolsAndOtherIcmpTypesAreDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment sctp = TestPackets.udp().from(INSIDE_HOST, 1).to(SERVER, 2).build();
        setProtocol(sctp, 132);
        assertEquals(Verdict.DROP, h.send(sctp, INSIDE));
        MemorySegment timestamp = TestPackets.icmpEcho().from(INSIDE_HOST, 0).to(SERVER, 0).build();
        timestamp.set(ValueLayout.JAVA_BYTE, 20, (byte) 13);
        assertEquals(Verdict.DROP, h.send(timestamp, INSIDE));
        assertEquals(1, h.drops(DropReason.UNSUPPORTED_PROTOCOL));
        assertEquals(1, h.drops(DropReason.UNSUPPORTED_ICMP_TYPE));
    }

    @Test
    void echoReplyWithoutARequestIsDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment reply = TestPackets.icmpEcho().echoReply().from(SERVER, 0).identifier(3).to(INSIDE_HOST, 0).build();
        assertEquals(Verdict.DROP, h.send(reply, OUTSIDE));
        assertEquals(1, h.drops(DropReason.UNSOLICITED_ECHO_REPLY));
    }

    @Test
    void trafficToATranslationAddressWithoutSessionIsDropped() {
        EngineHarness h = new EngineHarness(translateTo(10, "203.0.113.100-203.0.113.101", null));
        MemorySegment probe = TestPackets.tcp().from(SERVER, 1234).to("203.0.113.101", 22).flags(SYN).build();
        assertEquals(Verdict.DROP, h.send(probe, OUTSIDE));
        assertEquals(1, h.drops(DropReason.NO_SESSION_FOR_TRANSLATION_ADDRESS));
    }

    @Test
    void unknownIngressInterfaceIsDropped() {
        EngineHarness h = new EngineHarness(masquerade(10));
        assertEquals(Verdict.DROP, h.send(syn(INSIDE_HOST, 1, SERVER), 7));
        assertEquals(1, h.drops(DropReason.UNKNOWN_INGRESS_INTERFACE));
    }

    @Test
    void packetBehindAnEthernetHeaderWithTrailingPaddingIsForwarded() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment frame = Arena.ofAuto().allocate(64);
        TestPackets builder = TestPackets.udp().from(INSIDE_HOST, 999).to(SERVER, 53);
        int length = builder.writeInto(frame, 14);
        assertEquals(Verdict.FORWARD, h.send(frame, 14, 64 - 14, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), new dev.algd.engine.packet.Ipv4Header().wrap(frame, 14).sourceAddress());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(frame, 14));
        assertEquals(length, h.onlySession().bytesOriginal(), "bytes count the IP total length, not the padding");
    }

    @Test
    void countersAddUp() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(syn(INSIDE_HOST, 1, SERVER), INSIDE);
        h.send(syn(INSIDE_HOST, 2, "192.168.1.1"), INSIDE);
        h.send(TestPackets.icmpEcho().from(INSIDE_HOST, 0).to("192.168.1.1", 0).build(), INSIDE);
        EngineCounters counters = h.engine.counters();
        assertEquals(3, counters.packetsReceived());
        assertEquals(2, counters.packetsForwarded());
        assertEquals(1, counters.packetsDropped());
        assertEquals(counters.packetsReceived(), counters.packetsForwarded() + counters.packetsDropped());
        assertEquals(1, counters.sessionsActive());
    }

    private static void setProtocol(MemorySegment packet, int protocol) {
        packet.set(ValueLayout.JAVA_BYTE, 9, (byte) protocol);
        packet.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 10, (short) 0);
        packet.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 10,
                (short) ReferenceChecksum.checksum(packet.asSlice(0, 20).toArray(ValueLayout.JAVA_BYTE), 0));
    }
}
