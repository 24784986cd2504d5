package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineIpv6Test.GATEWAY;
import static dev.algd.engine.EngineIpv6Test.INSIDE_ADDRESS;
import static dev.algd.engine.EngineIpv6Test.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineIpv6Test.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.testing.GreTestPackets;
import dev.algd.engine.testing.Ipv6TestPackets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * House style, "Check it in a test", for IPv6: after warm-up, 10,000 IPv6 packets through {@link Engine#process}
 * allocate nothing. The mix: TCP and UDP through NAPT66 and their replies, extension headers, ICMPv6 echo both ways,
 * a destination NAT66 port forward and its replies, the echo answered in place, GRE (a keyed tunnel behind an
 * extension header, PPTP calls and their replies, a second host's tunnel refused), ICMPv6 errors translated and
 * dropped, time-exceeded written in place, the firewall dropping a new flow, fragments and zero UDP checksums dropped, lazy expiry and re-creation.
 */
class EngineIpv6AllocationTest {
    private static final int FLOWS = 300;
    private static final int FRAME = 256;
    private static final int PER_FLOW = 18;
    private static final String TUNNEL_REMOTE = "2001:db8:3::9";

    private final PacketReplay mix = new PacketReplay(FLOWS * PER_FLOW, FRAME, 40);

    private void buildTemplates() {
        for (int i = 0; i < FLOWS; i++) {
            String host = "2001:db8:1::" + Integer.toHexString(0x10 + i % 100);
            int port = 20000 + i;
            mix.add(Ipv6TestPackets.tcp().from(host, port).to(SERVER, 80).flags(0x02), INSIDE);
            mix.add(Ipv6TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, port).flags(0x12), OUTSIDE);
            mix.add(Ipv6TestPackets.icmpError(1, 4, Ipv6TestPackets.tcp().from(OUTSIDE_ADDRESS, port).to(SERVER, 80)
                    .bytes()).from(GATEWAY, 0).to(OUTSIDE_ADDRESS, 0), OUTSIDE);
            mix.add(Ipv6TestPackets.icmpError(1, 4, Ipv6TestPackets.udp().from(OUTSIDE_ADDRESS, 1).to(SERVER, 2)
                    .bytes()).from(GATEWAY, 0).to(OUTSIDE_ADDRESS, 0), OUTSIDE);
            mix.add(Ipv6TestPackets.udp().from(host, 53000 + i % 7).to(SERVER, 53).options(0, 1).options(60, 1)
                    .payload(new byte[5]), INSIDE);
            mix.add(Ipv6TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 53000 + i % 7).payload(new byte[6]),
                    OUTSIDE);
            mix.add(Ipv6TestPackets.icmpEcho().from(host, i).to(SERVER, 0), INSIDE);
            mix.add(Ipv6TestPackets.icmpEcho().echoReply().from(SERVER, 0).to(OUTSIDE_ADDRESS, i), OUTSIDE);
            mix.add(Ipv6TestPackets.icmpEcho().from(host, i).to(INSIDE_ADDRESS, 0), INSIDE);
            mix.add(Ipv6TestPackets.tcp().from(SERVER, 30000 + i).to(host, 23).flags(0x02), OUTSIDE);
            switch (i % 3) {
                case 0 -> mix.add(Ipv6TestPackets.udp().from(host, 1).to(SERVER, 9).hopLimit(1), INSIDE);
                case 1 -> mix.add(Ipv6TestPackets.udp().from(host, 1).to(SERVER, 9).fragment(1, true), INSIDE);
                default -> mix.add(Ipv6TestPackets.udp().from(host, 1).to(SERVER, 9).zeroUdpChecksum(), INSIDE);
            }
            mix.add(Ipv6TestPackets.tcp().from(host, port).to(SERVER, 80).flags(0x11), INSIDE);
            // Destination NAT66: a port forward on algd's outside address to an inside server, and its reply.
            mix.add(Ipv6TestPackets.tcp().from(SERVER, 30000 + i).to(OUTSIDE_ADDRESS, 8080).flags(0x02), OUTSIDE);
            mix.add(Ipv6TestPackets.tcp().from("2001:db8:1::5", 80).to(SERVER, 30000 + i).flags(0x12), INSIDE);
            // GRE: one host's keyed tunnel (the others' are refused: one reply key per remote) and an error about
            // it; PPTP calls, each answered with its own call id.
            byte[] tunnel = GreTestPackets.v0().checksum().key(i).greBytes();
            mix.add(Ipv6TestPackets.gre(tunnel).from(host, 0).to(TUNNEL_REMOTE, 0).options(60, 1), INSIDE);
            mix.add(Ipv6TestPackets.icmpError(2, 0, Ipv6TestPackets.gre(tunnel).from(OUTSIDE_ADDRESS, 0)
                    .to(TUNNEL_REMOTE, 0).bytes()).from(GATEWAY, 0).to(OUTSIDE_ADDRESS, 0), OUTSIDE);
            mix.add(Ipv6TestPackets.gre(GreTestPackets.pptp(0x1000 + i).greBytes()).from(host, 0).to(SERVER, 0),
                    INSIDE);
            mix.add(Ipv6TestPackets.gre(GreTestPackets.pptp(i + 1).greBytes()).from(SERVER, 0)
                    .to(OUTSIDE_ADDRESS, 0), OUTSIDE);
        }
    }

    @Test
    void processingTenThousandIpv6PacketsAfterWarmUpAllocatesNothing() {
        buildTemplates();
        SourceNatRule narrow = new SourceNatRule(5, "narrow", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("2001:db8:1::10-2001:db8:1::13"), null, null, null, false,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("53000-53099"));
        FirewallRule noTelnet = new FirewallRule(10, false, 6, null, null, null, PortRange.parse("23"), Set.of());
        EngineConfig base = EngineIpv6Test.config(List.of(narrow, EngineIpv6Test.masquerade6(10)),
                Map.of("outside-in", new FirewallRuleSet("outside-in", true, List.of(noTelnet))),
                List.of(new FirewallAttachment("outside", true, "outside-in")));
        DestinationNatRule forward = new DestinationNatRule(10, "web", false, "outside", 6, null, null,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("8080"), false,
                AddressRange.parse("2001:db8:1::5"), PortRange.parse("80"));
        EngineHarness h = new EngineHarness(new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                base.sourceNatRules(), List.of(forward), base.firewallRuleSets(), base.firewallAttachments(),
                base.ipv6StaticRoutes()), 1 << 14);
        PacketReplay.Measurement measured = mix.measure(h.engine);

        assertEquals(0, measured.bytesAllocated(),
                "bytes allocated by " + PacketReplay.MEASURED_PACKETS + " packets");
        assertTrue(measured.forwarded() > PacketReplay.MEASURED_PACKETS * 6 / 10,
                "the mix is mostly forwarded, was " + measured.forwarded());
        EngineCounters counters = h.engine.counters();
        assertTrue(h.engine.timeExceededSent() > 0);
        assertTrue(h.engine.icmpErrorsTranslated() > 0);
        assertTrue(counters.echoRepliesSent() > 0);
        assertTrue(counters.drops(DropReason.FIREWALL_INBOUND) > 0);
        assertTrue(counters.drops(DropReason.FRAGMENT) > 0);
        assertTrue(counters.drops(DropReason.IPV6_UDP_ZERO_CHECKSUM) > 0);
        assertTrue(counters.drops(DropReason.ICMP_ERROR_NO_SESSION) > 0);
        assertTrue(counters.drops(DropReason.GRE_REPLY_KEY_IN_USE) > 0);
        assertTrue(counters.sessionsExpired() > 0, "sessions expired and were created again");
        assertEquals(0, counters.drops(DropReason.NO_FREE_PORT));
    }
}
