package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.Ipv6Prefix;
import dev.algd.engine.config.Ipv6Route;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.config.StaticRoute;
import dev.algd.engine.testing.Ipv6TestPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * IPv6 through the engine: forwarding, stateful NAPT66 with the source NAT rules, extension headers, ICMPv6 echo,
 * errors and time-exceeded, with every checksum judged by {@link Ipv6TestPackets}' independent computation.
 * <pre>
 *   inside host 2001:db8:1::10 --[inside 2001:db8:1::1/64]-- algd --[outside 2001:db8:2::1/64]-- gateway
 *   2001:db8:2::fe (default route) -- server 2001:db8:3::7
 * </pre>
 */
class EngineIpv6Test {
    static final String INSIDE_HOST = "2001:db8:1::10";
    static final String SERVER = "2001:db8:3::7";
    static final String OUTSIDE_ADDRESS = "2001:db8:2::1";
    static final String INSIDE_ADDRESS = "2001:db8:1::1";
    static final String GATEWAY = "2001:db8:2::fe";

    static EngineConfig config(List<SourceNatRule> rules, Map<String, FirewallRuleSet> ruleSets,
            List<FirewallAttachment> attachments) {
        return new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24")),
                        List.of(Ipv6Prefix.parse(INSIDE_ADDRESS + "/64"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")),
                        List.of(Ipv6Prefix.parse(OUTSIDE_ADDRESS + "/64")))),
                List.of(new StaticRoute(Ipv4Prefix.parse("0.0.0.0/0"), EngineHarness.address("203.0.113.254"))),
                rules, List.of(), ruleSets, attachments,
                List.of(new Ipv6Route(Ipv6Prefix.parse("::/0"), Ipv6Address.parse(GATEWAY))));
    }

    static SourceNatRule masquerade6(long id) {
        return new SourceNatRule(id, "nat66", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("2001:db8:1::/64"), null, null, null, false, null, null);
    }

    private static EngineHarness harness(SourceNatRule... rules) {
        return new EngineHarness(config(List.of(rules), Map.of(), List.of()), 1024);
    }

    private static byte[] bytes(MemorySegment segment, int length) {
        return segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] source(byte[] packet) {
        return Arrays.copyOfRange(packet, 8, 24);
    }

    private static byte[] destination(byte[] packet) {
        return Arrays.copyOfRange(packet, 24, 40);
    }

    private static int u16(byte[] packet, int at) {
        return (packet[at] & 0xff) << 8 | packet[at + 1] & 0xff;
    }

    @Test
    void tcpThroughMasquerade66LeavesFromTheOutsideAddressWithValidChecksum() {
        EngineHarness h = harness(masquerade6(10));
        MemorySegment syn = Ipv6TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(0x02).build();
        int length = (int) syn.byteSize();

        assertEquals(Verdict.FORWARD, h.send(syn, INSIDE));

        byte[] out = bytes(syn, length);
        assertArrayEquals(Ipv6TestPackets.address(OUTSIDE_ADDRESS), source(out));
        assertArrayEquals(Ipv6TestPackets.address(SERVER), destination(out));
        assertEquals(40000, u16(out, 40), "the original port is kept where free");
        assertEquals(63, out[7] & 0xff, "hop limit decremented");
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertEquals(Ipv6Address.parse(GATEWAY), new Ipv6Address(h.packet.nextHopHigh, h.packet.nextHopLow));
    }

    @Test
    void replyToTheTranslatedAddressReachesTheInsideHost() {
        EngineHarness h = harness(masquerade6(10));
        h.send(Ipv6TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(0x02).build(), INSIDE);
        MemorySegment synAck = Ipv6TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, 40000).flags(0x12).build();

        assertEquals(Verdict.FORWARD, h.send(synAck, OUTSIDE));

        byte[] out = bytes(synAck, (int) synAck.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), destination(out));
        assertEquals(40000, u16(out, 42));
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(Ipv6Address.parse(INSIDE_HOST), new Ipv6Address(h.packet.nextHopHigh, h.packet.nextHopLow));
        assertEquals("SR", h.onlySession().state());
    }

    @Test
    void sessionViewShowsTheIpv6AddressesAndTheTranslation() {
        EngineHarness h = harness(masquerade6(10));
        h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);

        SessionView session = h.onlySession();

        assertTrue(session.isIpv6());
        assertEquals(INSIDE_HOST, session.sourceAddressText());
        assertEquals(SERVER, session.destinationAddressText());
        assertEquals(OUTSIDE_ADDRESS, session.translatedAddressText());
        assertEquals(SERVER, session.translatedDestinationAddressText());
        assertEquals(Set.of("snat"), session.features());
        assertEquals("inside", session.interfaceName());
        assertEquals(session, h.engine.session(session.id(), h.now), "found by id in the IPv6 table");
    }

    @Test
    void translationToAPortRangePicksAPortInIt() {
        SourceNatRule rule = new SourceNatRule(10, "to range", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("2001:db8:1::/64"), null, null, null, false,
                AddressRange.parse("2001:db8:2::100"), PortRange.parse("20000-20009"));
        EngineHarness h = harness(rule);
        MemorySegment packet = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).payload(new byte[9])
                .build();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));

        byte[] out = bytes(packet, (int) packet.byteSize());
        assertArrayEquals(Ipv6TestPackets.address("2001:db8:2::100"), source(out));
        int port = u16(out, 40);
        assertTrue(port >= 20000 && port <= 20009, "port " + port);
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
    }

    @Test
    void withoutARuleIpv6IsRoutedUntranslated() {
        EngineHarness h = harness();
        MemorySegment packet = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));

        byte[] out = bytes(packet, (int) packet.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), source(out));
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        assertEquals(Set.of(), h.onlySession().features());
    }

    @Test
    void anIpv4RuleDoesNotTranslateIpv6() {
        SourceNatRule ipv4Only = new SourceNatRule(10, "v4", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("192.168.1.0/24"), null, null, null, false, null, null);
        EngineHarness h = harness(ipv4Only);
        MemorySegment packet = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build();

        h.send(packet, INSIDE);

        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), source(bytes(packet, (int) packet.byteSize())));
    }

    @Test
    void icmpv6EchoGetsATranslatedIdentifierSessionAndItsReplyComesBack() {
        EngineHarness h = harness(masquerade6(10));
        MemorySegment request = Ipv6TestPackets.icmpEcho().from(INSIDE_HOST, 77).to(SERVER, 0).build();
        assertEquals(Verdict.FORWARD, h.send(request, INSIDE));
        byte[] out = bytes(request, (int) request.byteSize());
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        int identifier = u16(out, 44);
        MemorySegment reply = Ipv6TestPackets.icmpEcho().echoReply().from(SERVER, 0).to(OUTSIDE_ADDRESS, identifier)
                .build();

        assertEquals(Verdict.FORWARD, h.send(reply, OUTSIDE));

        byte[] back = bytes(reply, (int) reply.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), destination(back));
        assertEquals(77, u16(back, 44));
        assertTrue(Ipv6TestPackets.isChecksumValid(back));
        assertEquals("ES", h.onlySession().state());
    }

    @Test
    void unsolicitedEchoReplyIsDropped() {
        EngineHarness h = harness(masquerade6(10));

        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.icmpEcho().echoReply().from(SERVER, 0)
                .to(INSIDE_HOST, 5).build(), OUTSIDE));
        assertEquals(1, h.drops(DropReason.UNSOLICITED_ECHO_REPLY));
    }

    @Test
    void echoRequestToAlgdsOwnAddressIsAnswered() {
        EngineHarness h = harness();
        MemorySegment request = Ipv6TestPackets.icmpEcho().from(INSIDE_HOST, 9).to(INSIDE_ADDRESS, 0)
                .payload(new byte[] {1, 2, 3}).build();

        assertEquals(Verdict.FORWARD, h.send(request, INSIDE));

        byte[] out = bytes(request, (int) request.byteSize());
        assertEquals(129, out[40] & 0xff);
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_ADDRESS), source(out));
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), destination(out));
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void udpWithZeroChecksumIsDropped() {
        EngineHarness h = harness(masquerade6(10));

        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53)
                .zeroUdpChecksum().build(), INSIDE));
        assertEquals(1, h.drops(DropReason.IPV6_UDP_ZERO_CHECKSUM));
    }

    @Test
    void tcpBehindHopByHopAndDestinationOptionsIsTranslated() {
        EngineHarness h = harness(masquerade6(10));
        MemorySegment packet = Ipv6TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80)
                .options(Ipv6TestPackets.HOP_BY_HOP, 1).options(Ipv6TestPackets.DESTINATION_OPTIONS, 2)
                .routing(0).flags(0x02).build();

        assertEquals(Verdict.FORWARD, h.send(packet, INSIDE));

        byte[] out = bytes(packet, (int) packet.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(OUTSIDE_ADDRESS), source(out));
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
    }

    @Test
    void atomicFragmentPassesAndRealFragmentsAreDropped() {
        EngineHarness h = harness(masquerade6(10));
        MemorySegment atomic = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).fragment(0, false)
                .build();
        assertEquals(Verdict.FORWARD, h.send(atomic, INSIDE));
        assertTrue(Ipv6TestPackets.isChecksumValid(bytes(atomic, (int) atomic.byteSize())));

        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53)
                .fragment(0, true).build(), INSIDE));
        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53)
                .fragment(185, false).build(), INSIDE));
        assertEquals(2, h.drops(DropReason.FRAGMENT));
    }

    @Test
    void routingHeaderWithSegmentsLeftIsDropped() {
        EngineHarness h = harness();

        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).routing(1)
                .build(), INSIDE));
        assertEquals(1, h.drops(DropReason.IPV6_ROUTING_HEADER));
    }

    @Test
    void extensionHeaderChainBeyondTheLimitIsDropped() {
        EngineHarness h = harness();
        Ipv6TestPackets packet = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53);
        for (int i = 0; i < 9; i++) {
            packet.options(Ipv6TestPackets.DESTINATION_OPTIONS, 1);
        }

        assertEquals(Verdict.DROP, h.send(packet.build(), INSIDE));
        assertEquals(1, h.drops(DropReason.IPV6_BAD_EXTENSION_HEADERS));
    }

    @Test
    void linkLocalAndMulticastAreNotForwarded() {
        EngineHarness h = harness();

        h.send(Ipv6TestPackets.udp().from("fe80::10", 5000).to(SERVER, 53).build(), INSIDE);
        h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to("ff02::1", 53).build(), INSIDE);
        h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to("fe80::1", 53).build(), INSIDE);

        assertEquals(3, h.drops(DropReason.IPV6_NOT_FORWARDABLE));
    }

    @Test
    void hopLimitOneBecomesTimeExceededFromTheIngressAddress() {
        EngineHarness h = harness(masquerade6(10));
        byte[] original = Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).hopLimit(1)
                .payload(new byte[20]).bytes();
        MemorySegment buffer = MemorySegment.ofArray(Arrays.copyOf(original, 1500));

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, original.length, 1500, INSIDE));

        byte[] out = bytes(buffer, h.packet.length);
        assertEquals(40 + 8 + original.length, h.packet.length);
        assertEquals(58, out[6] & 0xff);
        assertEquals(3, out[40] & 0xff, "time exceeded");
        assertEquals(0, out[41]);
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_ADDRESS), source(out));
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), destination(out));
        assertArrayEquals(original, Arrays.copyOfRange(out, 48, 48 + original.length), "the packet as it arrived");
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(1, h.engine.timeExceededSent());
        assertTrue(h.engine.sessions(h.now).isEmpty());
    }

    @Test
    void packetOverTheEgressMtuBecomesPacketTooBigWithTheMtuAndFitsThrough() {
        EngineHarness h = harness(masquerade6(10));
        h.engine.interfaceMtu(OUTSIDE, 1280);
        byte[] original = Ipv6TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).payload(new byte[1400])
                .bytes();
        MemorySegment buffer = MemorySegment.ofArray(Arrays.copyOf(original, 2048));

        assertEquals(Verdict.FORWARD, h.send(buffer, 0, original.length, 2048, INSIDE));

        byte[] out = bytes(buffer, h.packet.length);
        assertEquals(1280, h.packet.length, "RFC 4443 §2.4 (c): no longer than the minimum MTU");
        assertEquals(58, out[6] & 0xff);
        assertEquals(2, out[40] & 0xff, "packet too big");
        assertEquals(0, out[41]);
        assertEquals(1280, (u16(out, 44) << 16) | u16(out, 46), "the MTU");
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_ADDRESS), source(out));
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), destination(out));
        assertArrayEquals(Arrays.copyOf(original, 1280 - 48), Arrays.copyOfRange(out, 48, 1280),
                "the packet as it arrived, untranslated");
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(1, h.engine.fragmentationNeededSent());

        MemorySegment fits = Ipv6TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).payload(new byte[1220])
                .build();
        assertEquals(Verdict.FORWARD, h.send(fits, INSIDE));
        assertEquals(OUTSIDE, h.packet.egressInterface);
        assertArrayEquals(Ipv6TestPackets.address(OUTSIDE_ADDRESS), source(bytes(fits, 40)), "translated");
        assertEquals(1, h.engine.fragmentationNeededSent());
    }

    @Test
    void packetTooBigAboutATranslatedFlowReachesTheInsideHostUntranslated() {
        EngineHarness h = harness(masquerade6(10));
        MemorySegment data = Ipv6TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).payload(new byte[100])
                .build();
        h.send(data, INSIDE);
        byte[] asSent = bytes(data, (int) data.byteSize());
        MemorySegment error = Ipv6TestPackets.icmpError(2, 0, asSent).from(GATEWAY, 0).to(OUTSIDE_ADDRESS, 0)
                .build();

        assertEquals(Verdict.FORWARD, h.send(error, OUTSIDE));

        byte[] out = bytes(error, (int) error.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(GATEWAY), source(out), "from the router that sent it");
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), destination(out));
        byte[] quoted = Arrays.copyOfRange(out, 48, out.length);
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_HOST), source(quoted), "the sender's own packet");
        assertEquals(40000, u16(quoted, 40));
        assertTrue(Ipv6TestPackets.isChecksumValid(out), "ICMPv6 checksum");
        quoted[7] = 64;
        assertTrue(Ipv6TestPackets.isChecksumValid(quoted), "the quoted TCP checksum");
        assertEquals(INSIDE, h.packet.egressInterface);
        assertEquals(1, h.engine.icmpErrorsTranslated());
    }

    @Test
    void errorAboutNoSessionIsDropped() {
        EngineHarness h = harness(masquerade6(10));
        byte[] stranger = Ipv6TestPackets.udp().from(OUTSIDE_ADDRESS, 1).to(SERVER, 2).bytes();

        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.icmpError(1, 0, stranger).from(GATEWAY, 0)
                .to(OUTSIDE_ADDRESS, 0).build(), OUTSIDE));
        assertEquals(1, h.drops(DropReason.ICMP_ERROR_NO_SESSION));
    }

    @Test
    void ipv6FirewallRuleDropsOnlyItsFamily() {
        FirewallRule dropInside6 = new FirewallRule(10, false, SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("2001:db8:1::/64"), null, null, null, Set.of());
        Map<String, FirewallRuleSet> sets = Map.of("in", new FirewallRuleSet("in", true, List.of(dropInside6)));
        EngineHarness h = new EngineHarness(config(List.of(), sets,
                List.of(new FirewallAttachment("inside", true, "in"))), 1024);

        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(),
                INSIDE));
        assertEquals(Verdict.DROP, h.send(Ipv6TestPackets.udp().from("2001:db8:1::11", 5000).to(SERVER, 53).build(),
                INSIDE));
        assertEquals(Verdict.FORWARD, h.send(Ipv6TestPackets.udp().from("2001:db8:5::1", 5000).to(SERVER, 53)
                .build(), INSIDE));
        assertEquals(Verdict.FORWARD, h.send(dev.algd.engine.testing.TestPackets.udp().from("192.168.1.10", 5000)
                .to("198.51.100.7", 53).build(), INSIDE), "an IPv6 rule never matches IPv4");
        assertEquals(2, h.drops(DropReason.FIREWALL_INBOUND));
    }

    @Test
    void clearingSessionsRemovesIpv6OnesToo() {
        EngineHarness h = harness(masquerade6(10));
        h.send(Ipv6TestPackets.udp().from(INSIDE_HOST, 5000).to(SERVER, 53).build(), INSIDE);

        assertEquals(1, h.engine.clearSessions(SessionFilter.ALL, h.now));
        assertTrue(h.engine.sessions(h.now).isEmpty());
        assertNull(h.engine.session(1L << 62 | 1, h.now));
    }

    @Test
    void portForwardToAnInsideServerWithDestinationNat66AndItsReply() {
        DestinationNatRule forward = new DestinationNatRule(10, "web", false, "outside", 6, null, null,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("8080"), false,
                AddressRange.parse("2001:db8:1::5"), PortRange.parse("80"));
        EngineConfig base = config(List.of(), Map.of(), List.of());
        EngineHarness h = new EngineHarness(new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                List.of(), List.of(forward), Map.of(), List.of(), base.ipv6StaticRoutes()), 1024);
        MemorySegment syn = Ipv6TestPackets.tcp().from(SERVER, 33000).to(OUTSIDE_ADDRESS, 8080).flags(0x02).build();

        assertEquals(Verdict.FORWARD, h.send(syn, OUTSIDE));

        byte[] in = bytes(syn, (int) syn.byteSize());
        assertArrayEquals(Ipv6TestPackets.address("2001:db8:1::5"), destination(in));
        assertEquals(80, u16(in, 42));
        assertArrayEquals(Ipv6TestPackets.address(SERVER), source(in));
        assertTrue(Ipv6TestPackets.isChecksumValid(in));
        assertEquals(INSIDE, h.packet.egressInterface);
        SessionView session = h.onlySession();
        assertEquals(Set.of("dnat"), session.features());
        assertEquals("2001:db8:1::5", session.translatedDestinationAddressText());

        MemorySegment synAck = Ipv6TestPackets.tcp().from("2001:db8:1::5", 80).to(SERVER, 33000).flags(0x12).build();
        assertEquals(Verdict.FORWARD, h.send(synAck, INSIDE));

        byte[] out = bytes(synAck, (int) synAck.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(OUTSIDE_ADDRESS), source(out), "the server answers as algd");
        assertEquals(8080, u16(out, 40));
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
    }

    @Test
    void echoToAnOwnAddressThatAPortForwardDoesNotMatchIsStillAnswered() {
        DestinationNatRule forward = new DestinationNatRule(10, "web", false, "outside", 6, null, null,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("8080"), false,
                AddressRange.parse("2001:db8:1::5"), null);
        EngineConfig base = config(List.of(), Map.of(), List.of());
        EngineHarness h = new EngineHarness(new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                List.of(), List.of(forward), Map.of(), List.of(), base.ipv6StaticRoutes()), 1024);

        assertEquals(Verdict.FORWARD, h.send(Ipv6TestPackets.icmpEcho().from(SERVER, 3).to(OUTSIDE_ADDRESS, 0)
                .build(), OUTSIDE));
        assertEquals(1, h.engine.counters().echoRepliesSent());
    }

    /**
     * Hairpin over IPv6, the same recipe as IPv4's: a destination rule on the inside interface too, and a source rule
     * for inside to inside, so that the inside server's reply comes back through algd as the public address.
     */
    @Test
    void insideHostReachesTheInsideServerThroughThePublicAddressOverIpv6() {
        String server = "2001:db8:1::5";
        String neighbour = "2001:db8:1::77";
        List<DestinationNatRule> forwards = List.of(
                new DestinationNatRule(10, "web", false, "outside", 6, null, null, AddressRange.parse(OUTSIDE_ADDRESS),
                        PortRange.parse("8080"), false, AddressRange.parse(server), PortRange.parse("80")),
                new DestinationNatRule(11, "web hairpin", false, "inside", 6, null, null,
                        AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("8080"), false, AddressRange.parse(server),
                        PortRange.parse("80")));
        SourceNatRule hairpin = new SourceNatRule(20, "hairpin", false, "inside", 6,
                AddressRange.parse("2001:db8:1::/64"), null, null, null, false, null, null);
        EngineConfig base = config(List.of(), Map.of(), List.of());
        EngineHarness h = new EngineHarness(new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                List.of(masquerade6(10), hairpin), forwards, Map.of(), List.of(), base.ipv6StaticRoutes()), 1024);
        MemorySegment syn = Ipv6TestPackets.tcp().from(neighbour, 40000).to(OUTSIDE_ADDRESS, 8080).flags(0x02).build();

        assertEquals(Verdict.FORWARD, h.send(syn, INSIDE));

        byte[] in = bytes(syn, (int) syn.byteSize());
        assertEquals(INSIDE, h.packet.egressInterface, "back out of the interface it came in on");
        assertArrayEquals(Ipv6TestPackets.address(server), destination(in));
        assertEquals(80, u16(in, 42));
        assertArrayEquals(Ipv6TestPackets.address(INSIDE_ADDRESS), source(in), "algd's inside address");
        assertTrue(Ipv6TestPackets.isChecksumValid(in));
        int port = u16(in, 40);

        MemorySegment synAck = Ipv6TestPackets.tcp().from(server, 80).to(INSIDE_ADDRESS, port).flags(0x12).build();
        assertEquals(Verdict.FORWARD, h.send(synAck, INSIDE));

        byte[] out = bytes(synAck, (int) synAck.byteSize());
        assertArrayEquals(Ipv6TestPackets.address(OUTSIDE_ADDRESS), source(out));
        assertEquals(8080, u16(out, 40));
        assertArrayEquals(Ipv6TestPackets.address(neighbour), destination(out));
        assertEquals(40000, u16(out, 42));
        assertTrue(Ipv6TestPackets.isChecksumValid(out));
    }
}
