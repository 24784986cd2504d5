package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.address;
import static dev.algd.engine.EngineHarness.ip;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.IcmpHeader;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.packet.UdpHeader;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineDestinationNatTest {
    private static final int TCP = 6;
    private static final String CLIENT = "198.51.100.99";

    static DestinationNatRule forward(long id, String inbound, int protocol, String destination, String destinationPort,
            String translation, String translationPort) {
        return new DestinationNatRule(id, "", false, inbound, protocol, null, null,
                destination == null ? null : AddressRange.parse(destination),
                destinationPort == null ? null : PortRange.parse(destinationPort), false,
                AddressRange.parse(translation), translationPort == null ? null : PortRange.parse(translationPort));
    }

    static EngineHarness harness(List<DestinationNatRule> dnat, SourceNatRule... snat) {
        EngineConfig base = EngineHarness.config(snat);
        return new EngineHarness(new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                base.sourceNatRules(), dnat, Map.of(), List.of()), 1024);
    }

    private static TcpHeader tcp(MemorySegment segment) {
        return new TcpHeader().wrap(segment, 20);
    }

    private static MemorySegment synTo(String destination, int port) {
        return TestPackets.tcp().from(CLIENT, 50000).to(destination, port).flags(SYN).build();
    }

    @Test
    void portForwardOnAlgdsOwnAddressReachesTheInsideServer() {
        EngineHarness h = harness(List.of(forward(10, "outside", TCP, OUTSIDE_ADDRESS, "8080", INSIDE_HOST, "80")),
                masquerade(10));
        MemorySegment syn = synTo(OUTSIDE_ADDRESS, 8080);

        assertEquals(Verdict.FORWARD, h.send(syn, OUTSIDE));

        assertEquals(address(INSIDE_HOST), ip(syn).destinationAddress());
        assertEquals(80, tcp(syn).destinationPort());
        assertEquals(address(CLIENT), ip(syn).sourceAddress(), "the source is untouched");
        assertEquals(50000, tcp(syn).sourcePort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(syn, 0));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(address(INSIDE_HOST), h.packet.nextHop);
    }

    @Test
    void replyFromTheInsideServerLeavesFromTheForwardedAddressAndPort() {
        EngineHarness h = harness(List.of(forward(10, "outside", TCP, OUTSIDE_ADDRESS, "8080", INSIDE_HOST, "80")),
                masquerade(10));
        h.send(synTo(OUTSIDE_ADDRESS, 8080), OUTSIDE);
        MemorySegment reply = TestPackets.tcp().from(INSIDE_HOST, 80).to(CLIENT, 50000).flags(SYN | ACK).build();

        assertEquals(Verdict.FORWARD, h.send(reply, INSIDE));

        assertEquals(address(OUTSIDE_ADDRESS), ip(reply).sourceAddress());
        assertEquals(8080, tcp(reply).sourcePort());
        assertEquals(address(CLIENT), ip(reply).destinationAddress());
        assertEquals(50000, tcp(reply).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(1, h.engine.counters().sessionsCreated(), "the reply is not a new flow for the SNAT rule");
    }

    @Test
    void translationPortRangeMapsTheMatchedRangeOffsetByOffset() {
        EngineHarness h = harness(List.of(forward(10, "outside", TCP, OUTSIDE_ADDRESS, "8080-8089", INSIDE_HOST,
                "80-89")));
        MemorySegment syn = synTo(OUTSIDE_ADDRESS, 8083);
        assertEquals(Verdict.FORWARD, h.send(syn, OUTSIDE));
        assertEquals(83, tcp(syn).destinationPort());
    }

    @Test
    void singleTranslationPortReceivesTheWholeMatchedRange() {
        EngineHarness h = harness(List.of(forward(10, "outside", TCP, OUTSIDE_ADDRESS, "8080-8089", INSIDE_HOST,
                "443")));
        MemorySegment syn = synTo(OUTSIDE_ADDRESS, 8087);
        h.send(syn, OUTSIDE);
        assertEquals(443, tcp(syn).destinationPort());
    }

    @Test
    void withoutTranslationPortTheDestinationPortIsKept() {
        EngineHarness h = harness(List.of(forward(10, "outside", SourceNatRule.ANY_PROTOCOL, "203.0.113.80", null, INSIDE_HOST, null)));
        MemorySegment datagram = TestPackets.udp().from(CLIENT, 5000).to("203.0.113.80", 5060).payload("x").build();
        assertEquals(Verdict.FORWARD, h.send(datagram, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(datagram).destinationAddress());
        assertEquals(5060, new UdpHeader().wrap(datagram, 20).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(datagram, 0));
    }

    @Test
    void firstMatchingRuleByAscendingIdWinsAndExcludeStopsTheSearch() {
        DestinationNatRule exclude = new DestinationNatRule(5, "not for the partner", false, "outside",
                SourceNatRule.ANY_PROTOCOL, AddressRange.parse(CLIENT), null, null, null, true, null, null);
        EngineHarness h = harness(List.of(
                forward(20, "outside", TCP, "203.0.113.80", null, "192.168.1.20", null),
                forward(10, "outside", TCP, "203.0.113.80", null, "192.168.1.10", null),
                exclude));
        MemorySegment fromPartner = synTo("203.0.113.80", 80);
        h.send(fromPartner, OUTSIDE);
        assertEquals(address("203.0.113.80"), ip(fromPartner).destinationAddress(), "rule 5 excludes the partner");

        MemorySegment fromOther = TestPackets.tcp().from("198.51.100.50", 50000).to("203.0.113.80", 80).flags(SYN)
                .build();
        h.send(fromOther, OUTSIDE);
        assertEquals(address("192.168.1.10"), ip(fromOther).destinationAddress(), "rule 10 comes before rule 20");
    }

    @Test
    void ruleOfAnotherInboundInterfaceDoesNotMatch() {
        EngineHarness h = harness(List.of(forward(10, "inside", TCP, "203.0.113.80", null, "192.168.1.20", null)));
        MemorySegment syn = synTo("203.0.113.80", 80);
        h.send(syn, OUTSIDE);
        assertEquals(address("203.0.113.80"), ip(syn).destinationAddress());
    }

    @Test
    void sourceAndDestinationNatOnOneSessionBothApplyBothWays() {
        // Inside clients' web traffic to SERVER:80 is redirected to a proxy 198.51.100.8:8080 and masqueraded.
        EngineHarness h = harness(List.of(forward(10, "inside", TCP, SERVER, "80", "198.51.100.8", "8080")),
                masquerade(10));
        MemorySegment syn = TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build();

        assertEquals(Verdict.FORWARD, h.send(syn, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), ip(syn).sourceAddress());
        assertEquals(40000, tcp(syn).sourcePort());
        assertEquals(address("198.51.100.8"), ip(syn).destinationAddress());
        assertEquals(8080, tcp(syn).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(syn, 0));

        MemorySegment reply = TestPackets.tcp().from("198.51.100.8", 8080).to(OUTSIDE_ADDRESS, 40000)
                .flags(SYN | ACK).build();
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(address(SERVER), ip(reply).sourceAddress());
        assertEquals(80, tcp(reply).sourcePort());
        assertEquals(address(INSIDE_HOST), ip(reply).destinationAddress());
        assertEquals(40000, tcp(reply).destinationPort());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));

        SessionView session = h.onlySession();
        assertEquals(Set.of("snat", "dnat"), session.features());
        assertEquals(address(SERVER), session.destinationAddress());
        assertEquals(80, session.destinationPort());
        assertEquals(address("198.51.100.8"), session.translatedDestinationAddress());
        assertEquals(8080, session.translatedDestinationPort());
        assertEquals(address(OUTSIDE_ADDRESS), session.translatedAddress());
    }

    @Test
    void sessionViewOfAnUntranslatedDestinationShowsTheDestinationItself() {
        EngineHarness h = harness(List.of(), masquerade(10));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        SessionView session = h.onlySession();
        assertEquals(Set.of("snat"), session.features());
        assertEquals(address(SERVER), session.translatedDestinationAddress());
        assertEquals(80, session.translatedDestinationPort());
    }

    @Test
    void echoRequestToAForwardedOwnAddressGoesToTheInsideHostNotToAlgd() {
        EngineHarness h = harness(List.of(forward(10, "outside", SourceNatRule.ANY_PROTOCOL, OUTSIDE_ADDRESS, null,
                INSIDE_HOST, null)));
        MemorySegment ping = TestPackets.icmpEcho().from(CLIENT, 0).identifier(9).to(OUTSIDE_ADDRESS, 0).build();

        assertEquals(Verdict.FORWARD, h.send(ping, OUTSIDE));

        assertEquals(address(INSIDE_HOST), ip(ping).destinationAddress());
        assertEquals(IcmpHeader.TYPE_ECHO_REQUEST, new IcmpHeader().wrap(ping, 20).type());
        assertEquals(9, new IcmpHeader().wrap(ping, 20).identifier());
        assertEquals(0, h.engine.counters().echoRepliesSent());
        MemorySegment pong = TestPackets.icmpEcho().echoReply().from(INSIDE_HOST, 0).identifier(9).to(CLIENT, 0)
                .build();
        assertEquals(Verdict.FORWARD, h.send(pong, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), ip(pong).sourceAddress());
        assertTrue(ReferenceChecksum.areAllChecksumsValid(pong, 0));
    }

    @Test
    void laterPacketsOfAForwardedFlowFollowTheSession() {
        EngineHarness h = harness(List.of(forward(10, "outside", TCP, OUTSIDE_ADDRESS, "8080", INSIDE_HOST, "80")));
        h.send(synTo(OUTSIDE_ADDRESS, 8080), OUTSIDE);
        h.engine.apply(EngineHarness.config());
        MemorySegment ack = TestPackets.tcp().from(CLIENT, 50000).to(OUTSIDE_ADDRESS, 8080).flags(ACK).build();
        assertEquals(Verdict.FORWARD, h.send(ack, OUTSIDE), "the session keeps its translation after the rule goes");
        assertEquals(address(INSIDE_HOST), ip(ack).destinationAddress());
        assertEquals(80, tcp(ack).destinationPort());
    }

    /**
     * Hairpin (Vyatta's recipe: a destination rule on the inside interface too, and a source rule for inside to
     * inside): an inside host reaches the inside server through the public address and port; the server sees
     * algd's inside address as the source, so its reply comes back through algd and leaves as the public address.
     */
    @Test
    void insideHostReachesTheInsideServerThroughThePublicAddress() {
        String neighbour = "192.168.1.77";
        SourceNatRule hairpin = new SourceNatRule(20, "hairpin", false, "inside", TCP,
                AddressRange.parse("192.168.1.0/24"), null, null, null, false, null, null);
        EngineHarness h = harness(List.of(forward(10, "outside", TCP, OUTSIDE_ADDRESS, "8080", INSIDE_HOST, "80"),
                forward(11, "inside", TCP, OUTSIDE_ADDRESS, "8080", INSIDE_HOST, "80")), masquerade(10), hairpin);
        MemorySegment syn = TestPackets.tcp().from(neighbour, 40000).to(OUTSIDE_ADDRESS, 8080).flags(SYN).build();

        assertEquals(Verdict.FORWARD, h.send(syn, INSIDE));

        assertEquals(INSIDE, h.packet.egressInterface, "back out of the interface it came in on");
        assertEquals(address(INSIDE_HOST), ip(syn).destinationAddress());
        assertEquals(80, tcp(syn).destinationPort());
        assertEquals(address("192.168.1.1"), ip(syn).sourceAddress(), "algd's inside address, so the reply returns");
        int port = tcp(syn).sourcePort();
        assertTrue(ReferenceChecksum.areAllChecksumsValid(syn, 0));

        MemorySegment reply = TestPackets.tcp().from(INSIDE_HOST, 80).to("192.168.1.1", port).flags(SYN | ACK)
                .build();
        assertEquals(Verdict.FORWARD, h.send(reply, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), ip(reply).sourceAddress());
        assertEquals(8080, tcp(reply).sourcePort());
        assertEquals(address(neighbour), ip(reply).destinationAddress());
        assertEquals(40000, tcp(reply).destinationPort());
        assertEquals(address(neighbour), h.packet.nextHop);
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
    }
}
