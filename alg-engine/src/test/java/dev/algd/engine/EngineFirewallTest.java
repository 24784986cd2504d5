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

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRule.ConnectionState;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineFirewallTest {
    private static final int TCP = 6;

    static FirewallRule rule(long id, boolean accept, String source, String destination, String destinationPort,
            ConnectionState... states) {
        return new FirewallRule(id, accept, TCP, source == null ? null : AddressRange.parse(source), null,
                destination == null ? null : AddressRange.parse(destination),
                destinationPort == null ? null : PortRange.parse(destinationPort), Set.of(states));
    }

    static EngineConfig config(List<DestinationNatRule> dnat, List<FirewallRuleSet> sets,
            List<FirewallAttachment> attachments, SourceNatRule... snat) {
        EngineConfig base = EngineHarness.config(snat);
        Map<String, FirewallRuleSet> byName = new java.util.HashMap<>();
        sets.forEach(s -> byName.put(s.name(), s));
        return new EngineConfig(base.algs(), base.interfaces(), base.staticRoutes(), base.sourceNatRules(), dnat,
                byName, attachments);
    }

    private static MemorySegment inboundSyn(int port) {
        return TestPackets.tcp().from(SERVER, 50000).to(INSIDE_HOST, port).flags(SYN).build();
    }

    @Test
    void inboundRuleSetDropsANewFlowItDoesNotAcceptAndCountsTheDrop() {
        FirewallRuleSet sshOnly = new FirewallRuleSet("outside-in", false, List.of(rule(10, true, null, null, "22")));
        EngineHarness h = new EngineHarness(config(List.of(), List.of(sshOnly),
                List.of(new FirewallAttachment("outside", true, "outside-in"))), 64);

        assertEquals(Verdict.DROP, h.send(inboundSyn(80), OUTSIDE));
        assertEquals(1, h.drops(DropReason.FIREWALL_INBOUND));
        assertEquals(0, h.engine.counters().sessionsCreated());

        assertEquals(Verdict.FORWARD, h.send(inboundSyn(22), OUTSIDE));
        assertEquals(Set.of("firewall"), h.onlySession().features());
    }

    @Test
    void establishedTrafficOfAnAcceptedSessionIsNotReEvaluated() {
        // Only NEW flows to port 80 are accepted from the inside; the outside accepts nothing new at all.
        FirewallRuleSet web = new FirewallRuleSet("inside-in", false,
                List.of(rule(10, true, null, null, "80", ConnectionState.NEW)));
        FirewallRuleSet nothing = new FirewallRuleSet("outside-in", false, List.of());
        EngineHarness h = new EngineHarness(config(List.of(), List.of(web, nothing), List.of(
                new FirewallAttachment("inside", true, "inside-in"),
                new FirewallAttachment("outside", true, "outside-in")), masquerade(10)), 64);

        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN)
                .build(), INSIDE));
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(SERVER, 80).to(OUTSIDE_ADDRESS, 40000)
                .flags(SYN | ACK).build(), OUTSIDE), "the reply of an accepted session passes the outside");
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(ACK)
                .payload("GET /").build(), INSIDE), "the rule names NEW only, yet the session's packets pass");
        assertEquals(Set.of("snat", "firewall"), h.onlySession().features());

        assertEquals(Verdict.DROP, h.send(TestPackets.tcp().from(INSIDE_HOST, 40001).to(SERVER, 443).flags(SYN)
                .build(), INSIDE));
        assertEquals(1, h.drops(DropReason.FIREWALL_INBOUND));
    }

    @Test
    void outboundRuleSetSeesTheOriginalSourceBeforeSourceNat() {
        FirewallRuleSet noGuests = new FirewallRuleSet("outside-out", true,
                List.of(rule(10, false, "192.168.1.11", null, null)));
        EngineHarness h = new EngineHarness(config(List.of(), List.of(noGuests),
                List.of(new FirewallAttachment("outside", false, "outside-out")), masquerade(10)), 64);

        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN)
                .build(), INSIDE));
        assertEquals(Verdict.DROP, h.send(TestPackets.tcp().from("192.168.1.11", 40000).to(SERVER, 80).flags(SYN)
                .build(), INSIDE));
        assertEquals(1, h.drops(DropReason.FIREWALL_OUTBOUND));
    }

    @Test
    void inboundRuleSetSeesTheDestinationAfterDestinationNat() {
        DestinationNatRule forward = new DestinationNatRule(10, "", false, "outside", TCP, null, null,
                AddressRange.parse(OUTSIDE_ADDRESS), PortRange.parse("8080"), false, AddressRange.parse(INSIDE_HOST),
                PortRange.parse("80"));
        FirewallRuleSet toWebServer = new FirewallRuleSet("outside-in", false,
                List.of(rule(10, true, null, INSIDE_HOST, "80")));
        EngineHarness h = new EngineHarness(config(List.of(forward), List.of(toWebServer),
                List.of(new FirewallAttachment("outside", true, "outside-in"))), 64);
        MemorySegment syn = TestPackets.tcp().from(SERVER, 50000).to(OUTSIDE_ADDRESS, 8080).flags(SYN).build();

        assertEquals(Verdict.FORWARD, h.send(syn, OUTSIDE));
        assertEquals(address(INSIDE_HOST), ip(syn).destinationAddress());
        assertEquals(Set.of("dnat", "firewall"), h.onlySession().features());
    }

    @Test
    void firstMatchingRuleByAscendingIdDecides() {
        FirewallRuleSet set = new FirewallRuleSet("outside-in", true, List.of(
                rule(20, true, null, null, "22"),
                rule(10, false, SERVER, null, null)));
        EngineHarness h = new EngineHarness(config(List.of(), List.of(set),
                List.of(new FirewallAttachment("outside", true, "outside-in"))), 64);
        assertEquals(Verdict.DROP, h.send(inboundSyn(22), OUTSIDE), "rule 10 drops SERVER before rule 20 is tried");
        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from("198.51.100.8", 50000).to(INSIDE_HOST, 22)
                .flags(SYN).build(), OUTSIDE));
    }

    @Test
    void ruleNamingOnlyEstablishedDoesNotDecideForNewFlows() {
        FirewallRuleSet set = new FirewallRuleSet("outside-in", false, List.of(
                rule(10, true, null, null, null, ConnectionState.ESTABLISHED)));
        EngineHarness h = new EngineHarness(config(List.of(), List.of(set),
                List.of(new FirewallAttachment("outside", true, "outside-in"))), 64);
        assertEquals(Verdict.DROP, h.send(inboundSyn(22), OUTSIDE), "the default action decides");
    }

    @Test
    void existingSessionsKeepPassingAfterARuleSetIsAttached() {
        EngineHarness h = new EngineHarness(masquerade(10));
        h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(SYN).build(), INSIDE);
        FirewallRuleSet nothing = new FirewallRuleSet("inside-in", false, List.of());
        h.engine.apply(config(List.of(), List.of(nothing), List.of(new FirewallAttachment("inside", true,
                "inside-in")), masquerade(10)));

        assertEquals(Verdict.FORWARD, h.send(TestPackets.tcp().from(INSIDE_HOST, 40000).to(SERVER, 80).flags(ACK)
                .build(), INSIDE));
        assertEquals(Verdict.DROP, h.send(TestPackets.tcp().from(INSIDE_HOST, 40001).to(SERVER, 80).flags(SYN)
                .build(), INSIDE));
        assertEquals(1, h.drops(DropReason.FIREWALL_INBOUND));
    }
}
