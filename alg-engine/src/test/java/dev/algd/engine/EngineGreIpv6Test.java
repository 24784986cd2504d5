package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineIpv6Test.GATEWAY;
import static dev.algd.engine.EngineIpv6Test.INSIDE_HOST;
import static dev.algd.engine.EngineIpv6Test.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineIpv6Test.SERVER;
import static dev.algd.engine.EngineIpv6Test.masquerade6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRule.ConnectionState;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.GreHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.GreTestPackets;
import dev.algd.engine.testing.Ipv6TestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637 §4.1) over IPv6 through sessions, NAT66 and the firewall:
 * the cases of {@link EngineGreTest} in the topology of {@link EngineIpv6Test}.
 */
class EngineGreIpv6Test {
    private static final String OTHER_INSIDE_HOST = "2001:db8:1::11";
    private static final String OTHER_SERVER = "2001:db8:3::8";
    private static final String INSIDE_TUNNEL_END = "2001:db8:1::5";

    private static EngineHarness harness(SourceNatRule... rules) {
        return new EngineHarness(EngineIpv6Test.config(List.of(rules), Map.of(), List.of()), 1024);
    }

    /** Version 0 GRE from {@code from} to {@code to}, with the GRE header and payload {@code gre} built. */
    private static Ipv6TestPackets tunnel(GreTestPackets gre, String from, String to) {
        return Ipv6TestPackets.gre(gre.greBytes()).from(from, 0).to(to, 0);
    }

    private static MemorySegment v0(String from, String to) {
        return tunnel(GreTestPackets.v0(), from, to).build();
    }

    private static MemorySegment pptp(int callId, String from, String to) {
        return tunnel(GreTestPackets.pptp(callId), from, to).build();
    }

    private static byte[] bytes(MemorySegment packet) {
        return packet.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The packet's source address in the compressed form the constants use (RFC 5952). */
    private static String source(MemorySegment packet) {
        return Ipv6Address.parse(Ipv6TestPackets.text(Arrays.copyOfRange(bytes(packet), 8, 24))).toString();
    }

    private static String destination(MemorySegment packet) {
        return Ipv6Address.parse(Ipv6TestPackets.text(Arrays.copyOfRange(bytes(packet), 24, 40))).toString();
    }

    /** The GRE header and payload of a packet whose GRE header starts at {@code greOffset}. */
    private static byte[] greOf(MemorySegment packet, int greOffset) {
        return Arrays.copyOfRange(bytes(packet), greOffset, (int) packet.byteSize());
    }

    private static GreHeader gre(MemorySegment packet, int greOffset) {
        GreHeader header = new GreHeader().wrap(packet, greOffset);
        header.validate(packet.byteSize() - greOffset);
        return header;
    }

    @Test
    void outboundGreBehindExtensionHeadersGetsTheMasqueradeAddressAndKeepsItsKeyAndGreChecksum() {
        EngineHarness h = harness(masquerade6(10));
        GreTestPackets keyed = GreTestPackets.v0().checksum().key(0x1234_5678L).sequence(9);
        MemorySegment packet = tunnel(keyed, INSIDE_HOST, SERVER).options(Ipv6TestPackets.HOP_BY_HOP, 1)
                .options(Ipv6TestPackets.DESTINATION_OPTIONS, 1).build();
        byte[] greBefore = keyed.greBytes();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));

        assertEquals(OUTSIDE_ADDRESS, source(packet));
        assertEquals(SERVER, destination(packet));
        assertEquals(63, bytes(packet)[7] & 0xff, "hop limit decremented");
        int greOffset = 40 + 8 + 8;
        assertArrayEquals(greBefore, greOf(packet, greOffset),
                "no pseudo-header in the GRE checksum (RFC 2784 §2.5): header, key and payload untouched");
        assertEquals(GreTestPackets.greChecksum(greOf(packet, greOffset)), gre(packet, greOffset).checksum());
        assertEquals(OUTSIDE, h.packet.egressInterface);
        SessionView session = h.onlySession();
        assertTrue(session.isIpv6());
        assertEquals(GreHeader.PROTOCOL, session.protocol());
        assertEquals(INSIDE_HOST, session.sourceAddressText());
        assertEquals(OUTSIDE_ADDRESS, session.translatedAddressText());
        assertEquals(0, session.sourcePort());
        assertEquals(0, session.translatedPort());
        assertEquals(Set.of("snat"), session.features());
    }

    @Test
    void replyFindsTheSessionAndIsTranslatedBackToTheInsideHost() {
        EngineHarness h = harness(masquerade6(10));
        h.send(v0(INSIDE_HOST, SERVER), INSIDE);
        GreTestPackets checksummed = GreTestPackets.v0().checksum();
        MemorySegment reply = tunnel(checksummed, SERVER, OUTSIDE_ADDRESS).build();

        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));

        assertEquals(INSIDE_HOST, destination(reply));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertArrayEquals(checksummed.greBytes(), greOf(reply, 40));
        SessionView session = h.onlySession();
        assertEquals(1, session.packetsOriginal());
        assertEquals(1, session.packetsReply());
        assertEquals("ES", session.state());
    }

    @Test
    void keysAreNotPartOfTheSessionKeySoBothTunnelEndsMayChooseTheirOwn() {
        EngineHarness h = harness(masquerade6(10));
        assertEquals(Verdict.FORWARD, h.send(tunnel(GreTestPackets.v0().key(1), INSIDE_HOST, SERVER).build(), INSIDE));
        assertEquals(Verdict.FORWARD, h.send(tunnel(GreTestPackets.v0().key(2), INSIDE_HOST, SERVER).build(), INSIDE));
        MemorySegment reply = tunnel(GreTestPackets.v0().key(3), SERVER, OUTSIDE_ADDRESS).build();
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(INSIDE_HOST, destination(reply));
        assertEquals(2, h.onlySession().packetsOriginal());
    }

    @Test
    void destinationNat66SendsInboundGreToTheInsideTunnelEndAndItsRepliesBack() {
        DestinationNatRule toInside = new DestinationNatRule(10, "gre", false, "outside", GreHeader.PROTOCOL, null,
                null, AddressRange.parse(OUTSIDE_ADDRESS), null, false, AddressRange.parse(INSIDE_TUNNEL_END), null);
        EngineConfig base = EngineIpv6Test.config(List.of(), Map.of(), List.of());
        EngineHarness h = new EngineHarness(new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                List.of(), List.of(toInside), Map.of(), List.of(), base.ipv6StaticRoutes()), 64);
        GreTestPackets keyed = GreTestPackets.v0().key(5).checksum();
        MemorySegment inbound = tunnel(keyed, SERVER, OUTSIDE_ADDRESS).build();

        assertEquals(Verdict.FORWARD, h.send(inbound, OUTSIDE));
        assertEquals(INSIDE_TUNNEL_END, destination(inbound));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertArrayEquals(keyed.greBytes(), greOf(inbound, 40));

        MemorySegment back = tunnel(GreTestPackets.v0().key(5), INSIDE_TUNNEL_END, SERVER).build();
        assertEquals(Verdict.FORWARD, h.send(back, INSIDE));
        assertEquals(OUTSIDE_ADDRESS, source(back));
        assertEquals(Set.of("dnat"), h.onlySession().features());
        assertEquals(INSIDE_TUNNEL_END, h.onlySession().translatedDestinationAddressText());
    }

    @Test
    void unrepliedGreExpiresAfterThirtySecondsAndARepliedOneAfterThreeMinutes() {
        Timeouts defaults = Timeouts.defaults();
        EngineHarness h = harness(masquerade6(10));
        h.send(v0(INSIDE_HOST, SERVER), INSIDE);
        assertEquals(defaults.greUnrepliedSeconds(), h.onlySession().timeoutSeconds());
        assertEquals("NEW", h.onlySession().state());
        h.advanceSeconds(30);
        assertTrue(h.engine.sessions(h.now).isEmpty());
        assertEquals(Verdict.DROP, h.send(v0(SERVER, OUTSIDE_ADDRESS), OUTSIDE));
        assertEquals(1, h.drops(DropReason.LOCAL_DESTINATION), "the masquerade address is algd's own");

        h.send(v0(INSIDE_HOST, SERVER), INSIDE);
        h.send(v0(SERVER, OUTSIDE_ADDRESS), OUTSIDE);
        assertEquals(defaults.greStreamSeconds(), h.onlySession().timeoutSeconds());
        h.advanceSeconds(179);
        assertEquals(Verdict.FORWARD, h.send(v0(SERVER, OUTSIDE_ADDRESS), OUTSIDE));
        h.advanceSeconds(180);
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void secondInsideHostToTheSameRemoteThroughTheSameAddressIsDroppedAndCounted() {
        EngineHarness h = harness(masquerade6(10));
        assertEquals(Verdict.FORWARD, h.send(v0(INSIDE_HOST, SERVER), INSIDE));

        assertEquals(Verdict.DROP, h.send(v0(OTHER_INSIDE_HOST, SERVER), INSIDE));
        assertEquals(1, h.drops(DropReason.GRE_REPLY_KEY_IN_USE));

        assertEquals(Verdict.FORWARD, h.send(v0(OTHER_INSIDE_HOST, OTHER_SERVER), INSIDE),
                "another remote is another reply key");
        MemorySegment reply = v0(SERVER, OUTSIDE_ADDRESS);
        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));
        assertEquals(INSIDE_HOST, destination(reply), "the first host keeps its tunnel");
    }

    @Test
    void pptpCallsOfTwoInsideClientsToOneServerAreToldApartByTheCallIdsOfTheirReplies() {
        EngineHarness h = harness(masquerade6(10));
        // Client A calls and the server answers with A's call id 0x0a; then client B does the same with 0x0b.
        assertEquals(Verdict.FORWARD, h.send(pptp(0x100, INSIDE_HOST, SERVER), INSIDE));
        MemorySegment toA = pptp(0x0a, SERVER, OUTSIDE_ADDRESS);
        assertEquals(Verdict.FORWARD, h.send(toA, OUTSIDE));
        assertEquals(INSIDE_HOST, destination(toA));
        assertEquals(Verdict.FORWARD, h.send(pptp(0x300, OTHER_INSIDE_HOST, SERVER), INSIDE));
        MemorySegment toB = pptp(0x0b, SERVER, OUTSIDE_ADDRESS);
        assertEquals(Verdict.FORWARD, h.send(toB, OUTSIDE));
        assertEquals(OTHER_INSIDE_HOST, destination(toB));

        MemorySegment laterToA = tunnel(GreTestPackets.pptp(0x0a).sequence(2), SERVER, OUTSIDE_ADDRESS).build();
        assertEquals(Verdict.FORWARD, h.send(laterToA, OUTSIDE));
        assertEquals(INSIDE_HOST, destination(laterToA));
        assertEquals(0x0a, gre(laterToA, 40).callId(), "call ids are not translated");
        assertEquals(2, h.engine.sessions(h.now).size());
        assertEquals(Verdict.DROP, h.send(pptp(0x0c, SERVER, OUTSIDE_ADDRESS), OUTSIDE), "a call id no session learnt");
    }

    @Test
    void pptpSessionShowsTheServersCallIdAndNoTranslationItDidNotMake() {
        EngineHarness h = harness();
        h.send(pptp(0x100, INSIDE_HOST, SERVER), INSIDE);
        assertEquals(Verdict.FORWARD, h.send(pptp(0x0a, SERVER, INSIDE_HOST), OUTSIDE));

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
        EngineHarness h = harness(masquerade6(10));
        h.send(pptp(0x100, INSIDE_HOST, SERVER), INSIDE);
        assertEquals(Verdict.DROP, h.send(pptp(0x300, OTHER_INSIDE_HOST, SERVER), INSIDE));
        assertEquals(1, h.drops(DropReason.GRE_REPLY_KEY_IN_USE));
        h.send(pptp(0x0a, SERVER, OUTSIDE_ADDRESS), OUTSIDE);
        assertEquals(Verdict.FORWARD, h.send(pptp(0x300, OTHER_INSIDE_HOST, SERVER), INSIDE),
                "the client's retransmission gets through once the first call's reply key is learnt");
    }

    @Test
    void packetTooBigAboutATunnelPacketReachesTheInsideHostUntranslated() {
        EngineHarness h = harness(masquerade6(10));
        GreTestPackets keyed = GreTestPackets.v0().checksum().key(7);
        MemorySegment outbound = tunnel(keyed, INSIDE_HOST, SERVER).build();
        byte[] asSentByTheHost = tunnel(keyed, INSIDE_HOST, SERVER).hopLimit(63).bytes();
        h.send(outbound, INSIDE);
        MemorySegment error = Ipv6TestPackets.icmpError(2, 0, bytes(outbound)).from(GATEWAY, 0)
                .to(OUTSIDE_ADDRESS, 0).build();

        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));

        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(GATEWAY, source(error), "from the router that sent it");
        assertEquals(INSIDE_HOST, destination(error));
        assertArrayEquals(asSentByTheHost, Arrays.copyOfRange(bytes(error), 48, (int) error.byteSize()),
                "the quote is the tunnel packet as it left the inside host, GRE checksum and key included");
        assertTrue(Ipv6TestPackets.isChecksumValid(bytes(error)), "ICMPv6 checksum over the restored quote");
        assertEquals(1, h.engine.icmpErrorsTranslated());
    }

    @Test
    void packetTooBigAboutAPptpPacketFindsNoSession() {
        EngineHarness h = harness(masquerade6(10));
        MemorySegment outbound = pptp(0x100, INSIDE_HOST, SERVER);
        h.send(outbound, INSIDE);
        h.send(pptp(0x0a, SERVER, OUTSIDE_ADDRESS), OUTSIDE);
        MemorySegment error = Ipv6TestPackets.icmpError(2, 0, bytes(outbound)).from(GATEWAY, 0)
                .to(OUTSIDE_ADDRESS, 0).build();

        assertEquals(Verdict.DROP, h.send(error, OUTSIDE));
        assertEquals(1, h.drops(DropReason.ICMP_ERROR_NO_SESSION),
                "the session's reply key holds the peer's call id, which the quote does not show");
    }

    @Test
    void malformedGreIsDroppedAndCountedByReason() {
        EngineHarness h = harness(masquerade6(10));
        byte[] version2 = GreTestPackets.v0().greBytes();
        version2[1] = 2;
        byte[] truncated = Arrays.copyOf(GreTestPackets.v0().key(1).greBytes(), 6);
        byte[] pptpWithoutKey = GreTestPackets.pptp(7).greBytes();
        pptpWithoutKey[0] = 0;
        byte[] routing = GreTestPackets.v0().greBytes();
        routing[0] = 0x40;

        for (byte[] gre : List.of(version2, truncated, pptpWithoutKey, routing)) {
            assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.gre(gre).from(INSIDE_HOST, 0).to(SERVER, 0).build(),
                    INSIDE));
        }

        assertEquals(1, h.drops(DropReason.GRE_UNSUPPORTED_VERSION));
        assertEquals(1, h.drops(DropReason.TRUNCATED_L4_HEADER));
        assertEquals(1, h.drops(DropReason.GRE_BAD_PPTP_HEADER));
        assertEquals(1, h.drops(DropReason.GRE_ROUTING_PRESENT));
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void sourceNatRuleForProtocolGreTranslatesGreOnly() {
        SourceNatRule greOnly = new SourceNatRule(10, "gre", false, "outside", GreHeader.PROTOCOL,
                AddressRange.parse("2001:db8:1::/64"), null, null, null, false, null, null);
        EngineHarness h = harness(greOnly);
        MemorySegment tunnel = v0(INSIDE_HOST, SERVER);
        MemorySegment udp = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build();
        h.send(tunnel, INSIDE);
        h.send(udp, INSIDE);
        assertEquals(OUTSIDE_ADDRESS, source(tunnel));
        assertEquals(INSIDE_HOST, source(udp));
    }

    @Test
    void firewallRuleForProtocolGreAcceptsGreAndNothingElse() {
        FirewallRule greRule = new FirewallRule(10, true, GreHeader.PROTOCOL, null, null, null, null,
                Set.of(ConnectionState.NEW));
        FirewallRuleSet onlyGre = new FirewallRuleSet("inside-in", false, List.of(greRule));
        EngineHarness h = new EngineHarness(EngineIpv6Test.config(List.of(masquerade6(10)),
                Map.of("inside-in", onlyGre), List.of(new FirewallAttachment("inside", true, "inside-in"))), 64);
        assertEquals(Verdict.FORWARD, h.send(v0(INSIDE_HOST, SERVER), INSIDE));
        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(),
                INSIDE));
        assertEquals(1, h.drops(DropReason.FIREWALL_INBOUND));
        assertEquals(Verdict.FORWARD, h.send(v0(SERVER, OUTSIDE_ADDRESS), OUTSIDE),
                "the reply belongs to the accepted session");
        assertEquals(Set.of("snat", "firewall"), h.onlySession().features());
    }
}
