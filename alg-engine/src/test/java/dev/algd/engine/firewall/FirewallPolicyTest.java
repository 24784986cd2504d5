package dev.algd.engine.firewall;

import static dev.algd.engine.config.Ipv4Addresses.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRule.ConnectionState;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.PortRange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirewallPolicyTest {
    private static final int TCP = 6;
    private static final int UDP = 17;

    private static FirewallPolicy compile(List<FirewallAttachment> attachments, FirewallRuleSet... sets) {
        Map<String, FirewallRuleSet> byName = new java.util.HashMap<>();
        for (FirewallRuleSet set : sets) {
            byName.put(set.name(), set);
        }
        return FirewallPolicy.compile(new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")))),
                List.of(), List.of(), List.of(), byName, attachments));
    }

    private static FirewallRule rule(long id, boolean accept, int protocol, String destinationPort,
            ConnectionState... states) {
        return new FirewallRule(id, accept, protocol, null, null, null,
                destinationPort == null ? null : PortRange.parse(destinationPort), Set.of(states));
    }

    private static boolean accepted(FirewallPolicy policy, int set, int state, int protocol, int port) {
        return policy.isAccepted(set, state, protocol, parse("198.51.100.7"), 40000, parse("192.168.1.10"), port,
                true);
    }

    @Test
    void attachmentsMapInterfacesAndDirectionsToRuleSets() {
        FirewallRuleSet a = new FirewallRuleSet("a", true, List.of());
        FirewallRuleSet b = new FirewallRuleSet("b", false, List.of());
        FirewallPolicy policy = compile(List.of(new FirewallAttachment("outside", true, "a"),
                new FirewallAttachment("outside", false, "b"), new FirewallAttachment("nowhere", true, "a"),
                new FirewallAttachment("inside", true, "unknown")), a, b);
        assertTrue(policy.inboundRuleSet(1) != FirewallPolicy.NONE);
        assertTrue(policy.outboundRuleSet(1) != FirewallPolicy.NONE);
        assertTrue(policy.inboundRuleSet(1) != policy.outboundRuleSet(1));
        assertEquals(FirewallPolicy.NONE, policy.inboundRuleSet(0), "an unknown rule set filters nothing");
        assertEquals(FirewallPolicy.NONE, policy.outboundRuleSet(0));
        assertEquals(FirewallPolicy.NONE, policy.inboundRuleSet(7));
    }

    @Test
    void noRuleSetAcceptsEverything() {
        FirewallPolicy policy = compile(List.of());
        assertTrue(accepted(policy, FirewallPolicy.NONE, FirewallPolicy.STATE_NEW, TCP, 1));
    }

    @Test
    void protocolAndPortCriteriaMustAllMatch() {
        FirewallRuleSet set = new FirewallRuleSet("s", false, List.of(rule(10, true, TCP, "20-21")));
        FirewallPolicy policy = compile(List.of(new FirewallAttachment("outside", true, "s")), set);
        int s = policy.inboundRuleSet(1);
        assertTrue(accepted(policy, s, FirewallPolicy.STATE_NEW, TCP, 21));
        assertFalse(accepted(policy, s, FirewallPolicy.STATE_NEW, UDP, 21));
        assertFalse(accepted(policy, s, FirewallPolicy.STATE_NEW, TCP, 22));
        assertFalse(policy.isAccepted(s, FirewallPolicy.STATE_NEW, 1, parse("198.51.100.7"), 0, parse("192.168.1.10"),
                0, false), "a port criterion never matches a protocol without ports");
    }

    @Test
    void relatedPacketsPassUnlessARuleNamingRelatedDropsThem() {
        FirewallRuleSet set = new FirewallRuleSet("s", false, List.of(
                rule(10, true, TCP, "21"),
                rule(20, false, UDP, null, ConnectionState.RELATED)));
        FirewallPolicy policy = compile(List.of(new FirewallAttachment("outside", true, "s")), set);
        int s = policy.inboundRuleSet(1);
        assertTrue(accepted(policy, s, FirewallPolicy.STATE_RELATED, TCP, 5000),
                "an FTP data connection passes a port-21-only, default-drop set");
        assertFalse(accepted(policy, s, FirewallPolicy.STATE_RELATED, UDP, 5000), "rule 20 names RELATED");
        assertFalse(accepted(policy, s, FirewallPolicy.STATE_NEW, UDP, 5000), "the default drops a NEW flow");
    }

    @Test
    void ruleListingStatesMatchesOnlyThoseStates() {
        FirewallRuleSet set = new FirewallRuleSet("s", true, List.of(
                rule(10, false, TCP, null, ConnectionState.NEW, ConnectionState.ESTABLISHED,
                        ConnectionState.RELATED)));
        FirewallPolicy policy = compile(List.of(new FirewallAttachment("outside", true, "s")), set);
        int s = policy.inboundRuleSet(1);
        assertFalse(accepted(policy, s, FirewallPolicy.STATE_RELATED, TCP, 80), "naming every state names RELATED");
        assertFalse(accepted(policy, s, FirewallPolicy.STATE_NEW, TCP, 80));
    }
}
