package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.INSIDE_HOST;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.address;
import static dev.algd.engine.EngineHarness.ip;
import static dev.algd.engine.EngineHarness.masquerade;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRule.ConnectionState;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.GreHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.GreTestPackets;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637 §4.1) through sessions, SNAT and the firewall. */
class EngineGreTest {
    private static final String OTHER_INSIDE_HOST = "192.168.1.11";
    private static final String OTHER_SERVER = "198.51.100.8";
    private static final String INSIDE_TUNNEL_END = "192.168.1.5";

    private static GreHeader gre(MemorySegment packet) {
        GreHeader header = new GreHeader().wrap(packet, 20);
        header.validate(packet.byteSize() - 20);
        return header;
    }

    @Test
    void outboundGreGetsTheMasqueradeAddressAndKeepsItsKeyAndGreChecksum() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment packet = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).checksum().key(0x1234_5678L)
                .sequence(9).build();
        int greChecksumBefore = gre(packet).checksum();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));

        assertEquals(address(OUTSIDE_ADDRESS), ip(packet).sourceAddress());
        assertEquals(address(SERVER), ip(packet).destinationAddress());
        assertTrue(ReferenceChecksum.isIpHeaderValid(packet, 0), "IPv4 header checksum follows the new source");
        assertEquals(greChecksumBefore, gre(packet).checksum(), "RFC 2784 §2.5: addresses are not covered");
        assertEquals(GreTestPackets.greChecksum(packet, 0), gre(packet).checksum(), "and it still verifies");
        assertEquals(0x1234_5678L, gre(packet).key());
        assertEquals(9, gre(packet).sequenceNumber());
        SessionView session = h.onlySession();
        assertEquals(GreHeader.PROTOCOL, session.protocol());
        assertEquals(address(OUTSIDE_ADDRESS), session.translatedAddress());
        assertEquals(0, session.sourcePort());
        assertEquals(0, session.translatedPort());
        assertEquals(Set.of("snat"), session.features());
    }

    @Test
    void replyFindsTheSessionAndIsTranslatedBackToTheInsideHost() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build(), INSIDE);
        MemorySegment reply = GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).checksum().build();

        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));

        assertEquals(address(INSIDE_HOST), ip(reply).destinationAddress());
        assertEquals(INSIDE, h.packet.egressInterface);
        assertTrue(ReferenceChecksum.isIpHeaderValid(reply, 0));
        assertEquals(GreTestPackets.greChecksum(reply, 0), gre(reply).checksum());
        SessionView session = h.onlySession();
        assertEquals(1, session.packetsOriginal());
        assertEquals(1, session.packetsReply());
        assertEquals("ES", session.state());
    }

    @Test
    void keysAreNotPartOfTheSessionKeySoBothTunnelEndsMayChooseTheirOwn() {
        EngineHarness h = new EngineHarness(masquerade(10));
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).key(1).build(), INSIDE));
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).key(2).build(), INSIDE));
        MemorySegment reply = GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).key(3).build();
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(reply).destinationAddress());
        assertEquals(2, h.onlySession().packetsOriginal());
    }

    @Test
    void destinationNatSendsInboundGreToTheInsideTunnelEndAndItsRepliesBack() {
        DestinationNatRule toInside = new DestinationNatRule(10, "gre", false, "outside", GreHeader.PROTOCOL, null,
                null, AddressRange.parse(OUTSIDE_ADDRESS), null, false, AddressRange.parse(INSIDE_TUNNEL_END), null);
        EngineHarness h = new EngineHarness(EngineFirewallTest.config(List.of(toInside), List.of(), List.of(),
                masquerade(10)), 64);
        MemorySegment inbound = GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).key(5).checksum().build();

        assertEquals(Verdict.FORWARD, h.send(inbound, OUTSIDE));
        assertEquals(address(INSIDE_TUNNEL_END), ip(inbound).destinationAddress());
        assertEquals(INSIDE, h.packet.egressInterface);
        assertTrue(ReferenceChecksum.isIpHeaderValid(inbound, 0));
        assertEquals(GreTestPackets.greChecksum(inbound, 0), gre(inbound).checksum());

        MemorySegment back = GreTestPackets.v0().from(INSIDE_TUNNEL_END).to(SERVER).key(5).build();
        assertEquals(Verdict.FORWARD, h.send(back, INSIDE));
        assertEquals(address(OUTSIDE_ADDRESS), ip(back).sourceAddress());
        assertEquals(Set.of("dnat"), h.onlySession().features());
    }

    @Test
    void unrepliedGreExpiresAfterThirtySecondsAndARepliedOneAfterThreeMinutes() {
        Timeouts defaults = Timeouts.defaults();
        assertEquals(30, defaults.greUnrepliedSeconds());
        assertEquals(180, defaults.greStreamSeconds());
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build(), INSIDE);
        assertEquals(30, h.onlySession().timeoutSeconds());
        assertEquals("NEW", h.onlySession().state());
        h.advanceSeconds(30);
        assertTrue(h.engine.sessions(h.now).isEmpty());
        assertEquals(Verdict.DROP, h.send(GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE));
        assertEquals(1, h.drops(DropReason.LOCAL_DESTINATION), "the masquerade address is algd's own");

        h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build(), INSIDE);
        h.send(GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE);
        assertEquals(180, h.onlySession().timeoutSeconds());
        h.advanceSeconds(179);
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE));
        h.advanceSeconds(180);
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void greTimeoutsComeFromTheEnginesTimeouts() {
        Timeouts d = Timeouts.defaults();
        Timeouts shorter = new Timeouts(d.tcpSynSentSeconds(), d.tcpSynReceivedSeconds(), d.tcpEstablishedSeconds(),
                d.tcpFinWaitSeconds(), d.tcpCloseWaitSeconds(), d.tcpLastAckSeconds(), d.tcpTimeWaitSeconds(),
                d.tcpCloseSeconds(), d.udpNewSeconds(), d.udpEstablishedSeconds(), d.icmpEchoSeconds(), 5, 50);
        EngineHarness h = new EngineHarness(EngineHarness.config(masquerade(10)), 64)
                .withEngine(new Engine(EngineHarness.config(masquerade(10)), new EngineLimits(64), shorter));
        h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build(), INSIDE);
        assertEquals(5, h.onlySession().timeoutSeconds());
        h.send(GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE);
        assertEquals(50, h.onlySession().timeoutSeconds());
    }

    @Test
    void secondInsideHostToTheSameRemoteThroughTheSameAddressIsDroppedAndCounted() {
        EngineHarness h = new EngineHarness(masquerade(10));
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build(), INSIDE));

        assertEquals(Verdict.DROP, h.send(GreTestPackets.v0().from(OTHER_INSIDE_HOST).to(SERVER).build(), INSIDE));
        assertEquals(1, h.drops(DropReason.GRE_REPLY_KEY_IN_USE));

        assertEquals(Verdict.FORWARD,
                h.send(GreTestPackets.v0().from(OTHER_INSIDE_HOST).to(OTHER_SERVER).build(), INSIDE),
                "another remote is another reply key");
        MemorySegment reply = GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).build();
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(reply).destinationAddress(), "the first host keeps its tunnel");
    }

    @Test
    void pptpCallsOfTwoInsideClientsToOneServerAreToldApartByTheCallIdsOfTheirReplies() {
        EngineHarness h = new EngineHarness(masquerade(10));
        // Client A calls and the server answers with A's call id 0x0a; then client B does the same with 0x0b.
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.pptp(0x100).from(INSIDE_HOST).to(SERVER).build(), INSIDE));
        MemorySegment toA = GreTestPackets.pptp(0x0a).from(SERVER).to(OUTSIDE_ADDRESS).build();
        assertEquals(Verdict.FORWARD, h.send(toA, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(toA).destinationAddress());
        assertEquals(Verdict.FORWARD,
                h.send(GreTestPackets.pptp(0x300).from(OTHER_INSIDE_HOST).to(SERVER).build(), INSIDE));
        MemorySegment toB = GreTestPackets.pptp(0x0b).from(SERVER).to(OUTSIDE_ADDRESS).build();
        assertEquals(Verdict.FORWARD, h.send(toB, OUTSIDE));
        assertEquals(address(OTHER_INSIDE_HOST), ip(toB).destinationAddress());

        MemorySegment laterToA = GreTestPackets.pptp(0x0a).from(SERVER).to(OUTSIDE_ADDRESS).sequence(2).build();
        assertEquals(Verdict.FORWARD, h.send(laterToA, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(laterToA).destinationAddress());
        assertEquals(0x0a, gre(laterToA).callId(), "call ids are not translated");
        assertEquals(2, h.engine.sessions(h.now).size());
        assertEquals(Verdict.DROP, h.send(GreTestPackets.pptp(0x0c).from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE),
                "a call id no session learnt");
    }

    @Test
    void pptpSessionShowsTheServersCallIdAndNoTranslationItDidNotMake() {
        EngineHarness h = new EngineHarness(EngineHarness.config(), 64);
        h.send(GreTestPackets.pptp(0x100).from(INSIDE_HOST).to(SERVER).build(), INSIDE);
        MemorySegment reply = GreTestPackets.pptp(0x0a).from(SERVER).to(INSIDE_HOST).build();
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));

        SessionView session = h.onlySession();
        assertEquals(0, session.sourcePort());
        assertEquals(0x100, session.destinationPort());
        assertEquals(0, session.translatedPort());
        assertEquals(0x100, session.translatedDestinationPort());
        assertEquals(Set.of(), session.features(), "neither snat nor dnat: only the learnt call id differs");
        assertEquals(1, session.packetsReply());
    }

    @Test
    void secondPptpCallBeforeTheFirstWasAnsweredIsDroppedUntilItIs() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(GreTestPackets.pptp(0x100).from(INSIDE_HOST).to(SERVER).build(), INSIDE);
        MemorySegment secondCall = GreTestPackets.pptp(0x300).from(OTHER_INSIDE_HOST).to(SERVER).build();
        assertEquals(Verdict.DROP, h.send(secondCall, INSIDE));
        assertEquals(1, h.drops(DropReason.GRE_REPLY_KEY_IN_USE));
        h.send(GreTestPackets.pptp(0x0a).from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE);
        assertEquals(Verdict.FORWARD,
                h.send(GreTestPackets.pptp(0x300).from(OTHER_INSIDE_HOST).to(SERVER).build(), INSIDE),
                "the client's retransmission gets through once the first call's reply key is learnt");
    }

    @Test
    void fragmentationNeededAboutATunnelPacketReachesTheInsideHostUntranslated() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment tunnel = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).checksum().key(7).build();
        MemorySegment asSent = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).checksum().key(7).ttl(63).build();
        h.send(tunnel, INSIDE);
        MemorySegment error = EngineIcmpErrorTest.icmpError(3, 4, 1400, "198.51.100.254", OUTSIDE_ADDRESS, tunnel,
                (int) tunnel.byteSize());

        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));

        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(address(INSIDE_HOST), ip(error).destinationAddress());
        assertArrayEquals(asSent.toArray(ValueLayout.JAVA_BYTE),
                error.asSlice(28, asSent.byteSize()).toArray(ValueLayout.JAVA_BYTE),
                "the quote is the tunnel packet as it left the inside host, GRE checksum and key included");
        assertTrue(ReferenceChecksum.isIpHeaderValid(error, 0));
        assertEquals(ReferenceChecksum.icmpChecksum(error, 0), ReferenceChecksum.storedL4Checksum(error, 0),
                "ICMP checksum over the restored quote");
    }

    @Test
    void malformedGreIsDroppedAndCountedByReason() {
        EngineHarness h = new EngineHarness(masquerade(10));
        MemorySegment version2 = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build();
        version2.set(ValueLayout.JAVA_BYTE, 21, (byte) 2);
        MemorySegment truncated = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).key(1).payload(new byte[0]).build();
        truncated.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2, (short) 26);
        fixIpChecksum(truncated);
        MemorySegment pptpWithoutKey = GreTestPackets.pptp(7).from(INSIDE_HOST).to(SERVER).build();
        pptpWithoutKey.set(ValueLayout.JAVA_BYTE, 20, (byte) 0);
        MemorySegment routing = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build();
        routing.set(ValueLayout.JAVA_BYTE, 20, (byte) 0x40);

        assertEquals(Verdict.DROP, h.send(version2, INSIDE));
        assertEquals(Verdict.DROP, h.send(truncated, 0, 26, INSIDE));
        assertEquals(Verdict.DROP, h.send(pptpWithoutKey, INSIDE));
        assertEquals(Verdict.DROP, h.send(routing, INSIDE));

        assertEquals(1, h.drops(DropReason.GRE_UNSUPPORTED_VERSION));
        assertEquals(1, h.drops(DropReason.TRUNCATED_L4_HEADER));
        assertEquals(1, h.drops(DropReason.GRE_BAD_PPTP_HEADER));
        assertEquals(1, h.drops(DropReason.GRE_ROUTING_PRESENT));
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void sourceNatRuleForProtocolGreTranslatesGreOnly() {
        SourceNatRule greOnly = new SourceNatRule(10, "gre", false, "outside", GreHeader.PROTOCOL,
                AddressRange.parse("192.168.1.0/24"), null, null, null, false, null, null);
        EngineHarness h = new EngineHarness(greOnly);
        MemorySegment tunnel = GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build();
        MemorySegment udp = TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build();
        h.send(tunnel, INSIDE);
        h.send(udp, INSIDE);
        assertEquals(address(OUTSIDE_ADDRESS), ip(tunnel).sourceAddress());
        assertEquals(address(INSIDE_HOST), ip(udp).sourceAddress());
    }

    @Test
    void firewallRuleForProtocolGreAcceptsGreAndNothingElse() {
        FirewallRule greRule = new FirewallRule(10, true, GreHeader.PROTOCOL, null, null, null, null,
                Set.of(ConnectionState.NEW));
        FirewallRuleSet onlyGre = new FirewallRuleSet("inside-in", false, List.of(greRule));
        EngineHarness h = new EngineHarness(EngineFirewallTest.config(List.of(), List.of(onlyGre),
                List.of(new FirewallAttachment("inside", true, "inside-in")), masquerade(10)), 64);
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.v0().from(INSIDE_HOST).to(SERVER).build(), INSIDE));
        assertEquals(Verdict.DROP, h.send(TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE));
        assertEquals(1, h.drops(DropReason.FIREWALL_INBOUND));
        assertEquals(Verdict.FORWARD, h.send(GreTestPackets.v0().from(SERVER).to(OUTSIDE_ADDRESS).build(), OUTSIDE),
                "the reply belongs to the accepted session");
    }

    private static void fixIpChecksum(MemorySegment packet) {
        packet.set(ValueLayout.JAVA_SHORT_UNALIGNED, 10, (short) 0);
        packet.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 10,
                (short) ReferenceChecksum.checksum(packet.asSlice(0, 20).toArray(ValueLayout.JAVA_BYTE), 0));
    }
}
