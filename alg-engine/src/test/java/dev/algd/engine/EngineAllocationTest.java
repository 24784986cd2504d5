package dev.algd.engine;

import static dev.algd.engine.EngineHarness.INSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE;
import static dev.algd.engine.EngineHarness.OUTSIDE_ADDRESS;
import static dev.algd.engine.EngineHarness.SERVER;
import static dev.algd.engine.EngineHarness.masquerade;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.FIN;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.alg.AlgCounters;
import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.OpenLineAlg;
import dev.algd.engine.alg.HoldingPortLineAlg;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.TestPackets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * House style, "Check it in a test": after warm-up, 10,000 packets through {@link Engine#process} allocate nothing.
 * The mix covers every per-packet path: session creation (with port preservation and with a port collision),
 * TCP state changes, replies, UDP, ICMP echo both ways, destination NAT (a port forward and its replies), the firewall's evaluation of new flows (accepted and dropped), an ALG control session whose line
 * is inspected and creates an expectation, the child that matches it, and expectations removed with their parent, a payload
 * rewrite that changes the length and the sequence shift of the segment after it, a control line split across two
 * segments (held back, then put in front of the rest), the echo answered in place, ICMP errors translated and dropped, time-exceeded errors written in place and rate-limited, lazy expiry and re-creation,
 * the incremental sweep, and drops.
 */
class EngineAllocationTest {
    private static final int FLOWS = 400;
    private static final int FRAME = 128;

    private final PacketReplay mix = new PacketReplay(FLOWS * 24, FRAME, 40);

    /** Per flow: TCP SYN, SYN-ACK, FIN; UDP out and back; ping out and back; one more packet from the mix. */
    private void buildTemplates() {
        for (int i = 0; i < FLOWS; i++) {
            String host = "192.168.1." + (10 + i % 100);
            int port = 20000 + i;
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 80).flags(SYN), INSIDE);
            mix.add(TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, port).flags(SYN | ACK), OUTSIDE);
            // An ICMP error about the flow from a router on the way (translated back), and one about no session.
            mix.add(EngineIcmpErrorTest.icmpError(11, 0, 0, "198.51.100.254", OUTSIDE_ADDRESS,
                    TestPackets.tcp().from(OUTSIDE_ADDRESS, port).to(SERVER, 80).flags(SYN).build(), 28), OUTSIDE);
            mix.add(EngineIcmpErrorTest.icmpError(3, 3, 0, SERVER, OUTSIDE_ADDRESS,
                    TestPackets.udp().from(OUTSIDE_ADDRESS, 1).to(SERVER, 2).build(), 28), OUTSIDE);
            mix.add(TestPackets.tcp().from(host, port).to(SERVER, 80).flags(FIN | ACK).payload("bye"), INSIDE);
            mix.add(TestPackets.udp().from(host, 53000 + i % 7).to(SERVER, 53).payload("query"), INSIDE);
            mix.add(TestPackets.udp().from(SERVER, 53).to(OUTSIDE_ADDRESS, 53000 + i % 7).payload("answer"), OUTSIDE);
            mix.add(TestPackets.icmpEcho().from(host, 0).identifier(i).to(SERVER, 0), INSIDE);
            mix.add(TestPackets.icmpEcho().echoReply().from(SERVER, 0).identifier(i).to(OUTSIDE_ADDRESS, 0), OUTSIDE);
            switch (i % 4) {
                case 0 -> mix.add(TestPackets.icmpEcho().from(host, 0).to("192.168.1.1", 0), INSIDE);
                case 1 -> mix.add(TestPackets.udp().from(host, 1).to(SERVER, 9).ttl(1), INSIDE);
                case 2 -> mix.add(TestPackets.tcp().from(host, 2).to("192.168.1.1", 22).flags(SYN), INSIDE);
                default -> mix.add(TestPackets.udp().from(SERVER, 9).to("10.255.0.1", 9).flagsFragment(0x2000),
                        OUTSIDE);
            }
            // Destination NAT: a port forward on algd's own address to an inside server, and its reply.
            mix.add(TestPackets.tcp().from(SERVER, 30000 + i).to(OUTSIDE_ADDRESS, 8080).flags(SYN), OUTSIDE);
            mix.add(TestPackets.tcp().from("192.168.1.5", 80).to(SERVER, 30000 + i).flags(SYN | ACK), INSIDE);
            // The firewall on the outside: telnet to the inside is dropped, the rest is evaluated and accepted.
            mix.add(TestPackets.tcp().from(SERVER, 30000 + i).to("192.168.1.5", 23).flags(SYN), OUTSIDE);
            // An ALG control session: its line is inspected, expects a connection back, which becomes a child.
            mix.add(TestPackets.tcp().from(host, 41000 + i).to(SERVER, 21).flags(SYN), INSIDE);
            mix.add(TestPackets.tcp().from(host, 41000 + i).to(SERVER, 21).flags(ACK)
                    .payload("OPEN " + (6000 + i) + "\n"),
                    INSIDE);
            mix.add(TestPackets.tcp().from(SERVER, 20).to(OUTSIDE_ADDRESS, 6000 + i).flags(SYN), OUTSIDE);
            // A payload rewrite that shrinks (192,168,1,x -> 203,0,113,1), a later segment and the server's ACK.
            mix.add(TestPackets.tcp().from(host, 42000 + i).to(SERVER, 5060).flags(ACK).seq(1000)
                    .payload("PORT " + host.replace('.', ',') + ",4,1\r\n"), INSIDE);
            mix.add(TestPackets.tcp().from(host, 42000 + i).to(SERVER, 5060).flags(ACK).seq(1100).payload("NOOP\r\n"),
                    INSIDE);
            // A line split across two segments: its start is held back, then put in front of the rest.
            String start = "PORT " + host.replace('.', ',').substring(0, 12);
            mix.add(TestPackets.tcp().from(host, 42000 + i).to(SERVER, 5060).flags(ACK).seq(1200).payload(start),
                    INSIDE);
            mix.add(TestPackets.tcp().from(host, 42000 + i).to(SERVER, 5060).flags(ACK).seq(1200 + start.length())
                    .payload(host.replace('.', ',').substring(12) + ",4,1\r\n"), INSIDE);
        }
    }

    @Test
    void processingTenThousandPacketsAfterWarmUpAllocatesNothing() {
        buildTemplates();
        // Rule 10 keeps ports; rule 5 gives four hosts a range that their UDP and ping flows collide in.
        SourceNatRule narrow = new SourceNatRule(5, "narrow", false, "outside", SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("192.168.1.10-192.168.1.13"), null, null, null, false,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("53000-53099"));
        EngineConfig base = EngineHarness.config(narrow, masquerade(10));
        DestinationNatRule forward = new DestinationNatRule(10, "web", false, "outside", 6, null, null,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("8080"), false,
                AddressRange.parse("192.168.1.5"), PortRange.parse("80"));
        EngineConfig config = new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(),
                base.sourceNatRules(), List.of(forward), Map.of("outside-in", new FirewallRuleSet("outside-in", true,
                        List.of(new FirewallRule(10, false, 6, null, null, null, PortRange.parse("23"), Set.of())))),
                List.of(new FirewallAttachment("outside", true, "outside-in")));
        EngineHarness h = new EngineHarness(config, 1 << 14);
        h.withEngine(new Engine(config, new EngineLimits(1 << 14), Timeouts.defaults(), List.of(new OpenLineAlg(),
                new HoldingPortLineAlg(AlgId.SIP))));
        PacketReplay.Measurement measured = mix.measure(h.engine);

        assertEquals(0, measured.bytesAllocated(),
                "bytes allocated by " + PacketReplay.MEASURED_PACKETS + " packets");
        assertTrue(measured.forwarded() > PacketReplay.MEASURED_PACKETS * 8 / 10,
                "the mix is mostly forwarded, was " + measured.forwarded());
        EngineCounters counters = h.engine.counters();
        assertTrue(counters.drops(DropReason.TTL_EXCEEDED) > 0, "beyond the ICMP error bucket");
        assertTrue(h.engine.timeExceededSent() > 0, "time-exceeded errors were written in place");
        assertTrue(counters.drops(DropReason.FIREWALL_INBOUND) > 0);
        AlgCounters alg = h.engine.algCounters();
        assertTrue(alg.count(AlgEvent.PACKET_INSPECTED) > 0);
        assertTrue(alg.count(AlgEvent.EXPECTATION_MATCHED) > 0, "connections back became children");
        assertTrue(alg.count(AlgEvent.PAYLOAD_REWRITTEN) > 0);
        assertTrue(alg.count(AlgEvent.TCP_SEQUENCE_ADJUSTED) > 0);
        assertTrue(alg.count(AlgEvent.LINE_HELD) > 0, "split lines were held");
        assertTrue(alg.count(AlgEvent.HELD_LINE_PREPENDED) > 0, "and put in front of their rest");
        assertTrue(alg.count(AlgEvent.EXPECTATION_REMOVED_WITH_PARENT) + alg.count(AlgEvent.EXPECTATION_EXPIRED)
                + alg.count(AlgEvent.EXPECTATION_MATCHED) > 0);
        assertTrue(counters.drops(DropReason.FRAGMENT) > 0);
        assertTrue(h.engine.icmpErrorsTranslated() > 0, "ICMP errors were translated");
        assertTrue(counters.drops(DropReason.ICMP_ERROR_NO_SESSION) > 0);
        assertTrue(counters.drops(DropReason.LOCAL_DESTINATION) > 0);
        assertTrue(counters.echoRepliesSent() > 0);
        assertTrue(counters.sessionsExpired() > 0, "sessions expired and were created again");
        assertEquals(0, counters.drops(DropReason.NO_FREE_PORT));
    }
}
