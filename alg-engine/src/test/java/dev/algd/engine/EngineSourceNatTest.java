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
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.IcmpHeader;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineSourceNatTest {

    private static MemorySegment syn(String source, int port) {
        return TestPackets.tcp().from(source, port).to(SERVER, 80).flags(SYN).build();
    }

    private static MemorySegment synAck(String destination, int port) {
        return TestPackets.tcp().from(SERVER, 80).to(destination, port).flags(SYN | ACK).build();
    }

    private static TcpHeader tcp(MemorySegment segment) {
        return new TcpHeader().wrap(segment, 20);
    }

    @Test
    void outboundTcpGetsTheMasqueradeSourceWithValidIpAndTcpChecksums() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment packet = TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN)
                .payload("some options and data").build();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));

        assertEquals(address(OUTSIDE_ADDRESS), ip(packet).sourceAddress());
        assertEquals(40000, tcp(packet).sourcePort(), "a free port is preserved");
        assertEquals(address(SERVER), ip(packet).destinationAddress());
        assertEquals(80, tcp(packet).destinationPort());
        assertEquals(63, ip(packet).ttl());
        assertTrue(ReferenceChecksum.isIpHeaderValid(packet, 0));
        assertEquals(ReferenceChecksum.l4Checksum(packet, 0), tcp(packet).checksum(), "TCP checksum recomputed from scratch");
        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(address(GATEWAY), h.packet.nextHop);
    }

    @Test
    void replyIsTranslatedBackToTheInsideHost() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(syn(INSIDE_HOST, 40000), INSIDE);
        MemorySegment reply = synAck(OUTSIDE_ADDRESS, 40000);

        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));

        assertEquals(address(SERVER), ip(reply).sourceAddress());
        assertEquals(address(INSIDE_HOST), ip(reply).destinationAddress());
        assertEquals(40000, tcp(reply).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(address(INSIDE_HOST), h.packet.nextHop, "on-link: the destination is the next hop");
    }

    @Test
    void bothDirectionsOfAFlowFindOneSession() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment first = syn(INSIDE_HOST, 40000);
        int synLength = (int) first.byteSize();
        h.send(first, INSIDE);
        h.send(synAck(OUTSIDE_ADDRESS, 40000), OUTSIDE);
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(ACK).build(), INSIDE);

        SessionView session = h.onlySession();
        assertEquals(2, session.packetsOriginal());
        assertEquals(2L * synLength, session.bytesOriginal());
        assertEquals(1, session.packetsReply());
        assertEquals("ES", session.state());
        assertEquals(1, h.engine.counters().sessionsCreated());
    }

    @Test
    void secondInsideHostWithTheSamePortGetsAnotherPortAndItsOwnReplies() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment first = syn(INSIDE_HOST, 40000);
        MemorySegment second = syn("192.168.1.11", 40000);
        h.send(first, INSIDE);
        assertEquals(Verdict.FORWARD, h.send(second, INSIDE));
        int secondPort = tcp(second).sourcePort();
        assertEquals(40000, tcp(first).sourcePort());
        assertNotEquals(40000, secondPort);
        assertTrue(secondPort >= 1024 && secondPort <= 65535);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(second, 0));

        MemorySegment replyToSecond = synAck(OUTSIDE_ADDRESS, secondPort);
        h.send(replyToSecond, OUTSIDE);
        assertEquals(address("192.168.1.11"), ip(replyToSecond).destinationAddress());
        assertEquals(40000, tcp(replyToSecond).destinationPort());
        MemorySegment replyToFirst = synAck(OUTSIDE_ADDRESS, 40000);
        h.send(replyToFirst, OUTSIDE);
        assertEquals(address(INSIDE_HOST), ip(replyToFirst).destinationAddress());
    }

    @Test
    void translationPortRangeIsHonoured() {
        EngineHarness h = new EngineHarness(translateTo(10, "203.0.113.50", "513-1023"));
        for (int i = 0; i < 20; i++) {
            MemorySegment packet = syn("192.168.1." + (10 + i), 40000);
            assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));
            int port = tcp(packet).sourcePort();
            assertTrue(port >= 513 && port <= 1023, "port " + port);
            assertEquals(address("203.0.113.50"), ip(packet).sourceAddress());
            MemorySegment reply = synAck("203.0.113.50", port);
            assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
            assertEquals(address("192.168.1." + (10 + i)), ip(reply).destinationAddress());
        }
    }

    @Test
    void firstMatchingRuleByAscendingIdWins() {
        // Given out of order: EngineConfig sorts by id, so rule 10 is tried before rule 20.
        EngineHarness h = new EngineHarness(translateTo(20, "203.0.113.20", null), translateTo(10, "203.0.113.10", null));
        MemorySegment packet = syn(INSIDE_HOST, 40000);
        h.send(packet, INSIDE);
        assertEquals(address("203.0.113.10"), ip(packet).sourceAddress());
    }

    @Test
    void excludedTrafficPassesUntranslated() {
        SourceNatRule exclude = new SourceNatRule(5, "no NAT to the partner", false, "outside",
                SourceNatRule.ANY_PROTOCOL, null, null, AddressRange.parse("198.51.100.0/24"), null, true, null, null);
        EngineHarness h = new EngineHarness(exclude, masquerade(10));
        MemorySegment packet = syn(INSIDE_HOST, 40000);
        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));
        assertEquals(address(INSIDE_HOST), ip(packet).sourceAddress());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(packet, 0));
        assertEquals(Set.of(), h.onlySession().features());

        MemorySegment other = TestPackets.tcp().from(INSIDE_HOST, 40001).to("8.8.8.8", 53).flags(SYN).build();
        h.send(other, INSIDE);
        assertEquals(address(OUTSIDE_ADDRESS), ip(other).sourceAddress(), "rule 10 still applies elsewhere");
    }

    @Test
    void disabledRuleIsSkipped() {
        SourceNatRule disabled = new SourceNatRule(5, "", true, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                null, null, false, AddressRange.parse("203.0.113.5"), null);
        EngineHarness h = new EngineHarness(disabled, translateTo(10, "203.0.113.10", null));
        MemorySegment packet = syn(INSIDE_HOST, 40000);
        h.send(packet, INSIDE);
        assertEquals(address("203.0.113.10"), ip(packet).sourceAddress());
    }

    @Test
    void flowMatchingNoRuleIsRoutedUntranslatedBothWays() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment inbound = TestPackets.tcp().from(SERVER, 50000).to(INSIDE_HOST, 22).flags(SYN).build();
        assertEquals(Verdict.FORWARD, h.send(inbound, OUTSIDE));
        assertEquals(address(SERVER), ip(inbound).sourceAddress());
        assertEquals(INSIDE, h.packet.egressInterface);
        MemorySegment answer = TestPackets.tcp().from(INSIDE_HOST, 22).to(SERVER, 50000).flags(SYN | ACK).build();
        assertEquals(Verdict.FORWARD, h.send(answer, INSIDE));
        assertEquals(address(INSIDE_HOST), ip(answer).sourceAddress(), "a reply is not a new flow for rule 10");
        assertEquals("SR", h.onlySession().state());
    }

    @Test
    void udpWithoutChecksumKeepsAZeroChecksumBothWays() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment query = TestPackets.udp().from(INSIDE_HOST, 5353).to(SERVER, 53).payload("q").withoutUdpChecksum().build();
        assertEquals(Verdict.FORWARD, h.send(query, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), ip(query).sourceAddress());
        assertEquals(0, new UdpHeader().wrap(query, 20).checksum());
        assertTrue(ReferenceChecksum.isIpHeaderValid(query, 0));

        MemorySegment answer = TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 5353).payload("a").withoutUdpChecksum().build();
        assertEquals(Verdict.FORWARD, h.send(answer, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(answer).destinationAddress());
        assertEquals(0, new UdpHeader().wrap(answer, 20).checksum());
    }

    @Test
    void udpWithChecksumIsTranslatedWithAValidChecksum() {
        EngineHarness h = new EngineHarness(translateTo(10, "203.0.113.77", "20000-20010"));
        MemorySegment query = TestPackets.udp().from(INSIDE_HOST, 5353).to(SERVER, 53).payload("question?").build();
        h.send(query, INSIDE);
        int port = new UdpHeader().wrap(query, 20).sourcePort();
        assertTrue(port >= 20000 && port <= 20010);
        assertEquals(ReferenceChecksum.l4Checksum(query, 0), new UdpHeader().wrap(query, 20).checksum());
    }

    @Test
    void icmpEchoIdentifierIsMappedAndTheReplyMappedBack() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment first = TestPackets.icmpEcho().from(INSIDE_HOST, 0).identifier(7).to(SERVER, 0).payload("ping").build();
        MemorySegment second = TestPackets.icmpEcho().from("192.168.1.11", 0).identifier(7).to(SERVER, 0).payload("ping").build();
        assertEquals(Verdict.FORWARD, h.send(first, INSIDE));
        assertEquals(Verdict.FORWARD, h.send(second, INSIDE));
        IcmpHeader firstIcmp = new IcmpHeader().wrap(first, 20);
        IcmpHeader secondIcmp = new IcmpHeader().wrap(second, 20);
        assertEquals(7, firstIcmp.identifier());
        int mapped = secondIcmp.identifier();
        assertNotEquals(7, mapped, "RFC 5508: identifiers are mapped like ports");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(second, 0));

        MemorySegment reply = TestPackets.icmpEcho().echoReply().from(SERVER, 0).identifier(mapped).to(OUTSIDE_ADDRESS, 0)
                .payload("ping").build();
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(address("192.168.1.11"), ip(reply).destinationAddress());
        assertEquals(7, new IcmpHeader().wrap(reply, 20).identifier());
        assertEquals(IcmpHeader.TYPE_ECHO_REPLY, new IcmpHeader().wrap(reply, 20).type());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
        assertEquals(INSIDE, h.packet.egressInterface);
    }

    @Test
    void applyLeavesTheMappingOfExistingSessionsUntouched() {
        EngineHarness h = new EngineHarness(translateTo(10, "203.0.113.10", "30000-30010"));
        MemorySegment before = syn(INSIDE_HOST, 40000);
        h.send(before, INSIDE);
        int port = tcp(before).sourcePort();

        h.engine.apply(EngineHarness.config(translateTo(10, "203.0.113.99", "513-1023")));

        MemorySegment again = TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(ACK).build();
        h.send(again, INSIDE);
        assertEquals(address("203.0.113.10"), ip(again).sourceAddress());
        assertEquals(port, tcp(again).sourcePort());
        MemorySegment reply = synAck("203.0.113.10", port);
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(reply).destinationAddress());

        MemorySegment newFlow = syn(INSIDE_HOST, 40001);
        h.send(newFlow, INSIDE);
        assertEquals(address("203.0.113.99"), ip(newFlow).sourceAddress(), "new flows see the new config");
        assertTrue(tcp(newFlow).sourcePort() <= 1023);
    }

    @Test
    void sessionViewShowsTheTranslation() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(syn(INSIDE_HOST, 40000), INSIDE);
        h.send(syn("192.168.1.11", 40000), INSIDE);
        SessionView second = h.engine.sessions(h.now).stream()
                .filter(s -> s.sourceAddress() == address("192.168.1.11")).findFirst().orElseThrow();
        assertEquals(6, second.protocol());
        assertEquals(40000, second.sourcePort());
        assertEquals(address(SERVER), second.destinationAddress());
        assertEquals(80, second.destinationPort());
        assertEquals(address(OUTSIDE_ADDRESS), second.translatedAddress());
        assertNotEquals(40000, second.translatedPort());
        assertEquals(Set.of("snat"), second.features());
        assertEquals("inside", second.interfaceName());
        assertEquals(0, second.parentId());
        assertEquals(null, second.alg());
    }
}
