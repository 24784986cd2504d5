package dev.algd.engine.nat;

import static dev.algd.engine.config.Ipv4Addresses.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceNatPolicyTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP = 1;

    private static SourceNatPolicy compile(SourceNatRule... rules) {
        return SourceNatPolicy.compile(new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.168.1.1/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")))),
                List.of(), List.of(rules)));
    }

    private static SourceNatRule rule(long id, int protocol, String source, String sourcePort, String destination,
            String destinationPort, String translation, String translationPort) {
        return new SourceNatRule(id, "", false, "outside", protocol,
                source == null ? null : AddressRange.parse(source),
                sourcePort == null ? null : PortRange.parse(sourcePort),
                destination == null ? null : AddressRange.parse(destination),
                destinationPort == null ? null : PortRange.parse(destinationPort),
                false, translation == null ? null : AddressRange.parse(translation),
                translationPort == null ? null : PortRange.parse(translationPort));
    }

    private static int match(SourceNatPolicy policy, int protocol, String source, int sourcePort) {
        return policy.match(OUTSIDE, protocol, parse(source), sourcePort, parse("198.51.100.7"), 80, protocol != ICMP);
    }

    @Test
    void rulesAreTriedInAscendingIdAndTheFirstMatchWins() {
        SourceNatPolicy policy = compile(
                rule(20, SourceNatRule.ANY_PROTOCOL, "192.168.1.0/24", null, null, null, "203.0.113.20", null),
                rule(10, SourceNatRule.ANY_PROTOCOL, "192.168.1.0/25", null, null, null, "203.0.113.10", null));
        int low = match(policy, TCP, "192.168.1.10", 40000);
        assertEquals(10, policy.ruleId(low));
        assertEquals(parse("203.0.113.10"), policy.translationAddress(low));
        assertEquals(20, policy.ruleId(match(policy, TCP, "192.168.1.200", 40000)));
    }

    @Test
    void ruleForAnotherOutboundInterfaceDoesNotMatch() {
        SourceNatPolicy policy = compile(rule(10, SourceNatRule.ANY_PROTOCOL, null, null, null, null, null, null));
        assertEquals(SourceNatPolicy.NO_MATCH,
                policy.match(INSIDE, TCP, parse("192.168.1.10"), 1, parse("192.168.1.20"), 2, true));
    }

    @Test
    void disabledRuleIsSkipped() {
        SourceNatRule disabled = new SourceNatRule(5, "off", true, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                null, null, false, AddressRange.parse("203.0.113.5"), null);
        SourceNatPolicy policy = compile(disabled, rule(10, SourceNatRule.ANY_PROTOCOL, null, null, null, null, null, null));
        assertEquals(10, policy.ruleId(match(policy, UDP, "192.168.1.10", 5000)));
    }

    @Test
    void protocolAndPortsNarrowTheMatch() {
        SourceNatPolicy policy = compile(rule(10, UDP, null, "5000-5010", null, "80", null, null));
        assertEquals(0, match(policy, UDP, "192.168.1.10", 5005));
        assertEquals(SourceNatPolicy.NO_MATCH, match(policy, TCP, "192.168.1.10", 5005));
        assertEquals(SourceNatPolicy.NO_MATCH, match(policy, UDP, "192.168.1.10", 5011));
    }

    @Test
    void ruleWithPortCriteriaNeverMatchesIcmp() {
        SourceNatPolicy policy = compile(rule(10, SourceNatRule.ANY_PROTOCOL, null, "1-65535", null, null, null, null));
        assertEquals(SourceNatPolicy.NO_MATCH, match(policy, ICMP, "192.168.1.10", 7));
    }

    @Test
    void destinationRangeComparesUnsigned() {
        SourceNatPolicy policy = compile(rule(10, TCP, null, null, "128.0.0.0-255.255.255.255", null, null, null));
        assertEquals(0, match(policy, TCP, "192.168.1.10", 1));
        assertEquals(SourceNatPolicy.NO_MATCH,
                policy.match(OUTSIDE, TCP, parse("192.168.1.10"), 1, parse("10.0.0.1"), 80, true));
    }

    @Test
    void masqueradeTranslatesToTheOutboundInterfacesFirstAddress() {
        SourceNatPolicy policy = compile(rule(10, SourceNatRule.ANY_PROTOCOL, null, null, null, null, null, null));
        int r = match(policy, TCP, "192.168.1.10", 40000);
        assertTrue(policy.hasTranslationAddress(r));
        assertEquals(parse("203.0.113.1"), policy.translationAddress(r));
        assertEquals(SourceNatPolicy.DEFAULT_PORT_FIRST, policy.translationPortFirst(r));
        assertEquals(SourceNatPolicy.DEFAULT_PORT_LAST, policy.translationPortLast(r));
        assertTrue(policy.keepsAnyOriginalPort(r));
    }

    @Test
    void translationRangeGivesItsFirstAddressAndMarksThePoolAsTranslationAddresses() {
        SourceNatPolicy policy = compile(rule(10, TCP, null, null, null, null, "203.0.113.100-203.0.113.103", "513-1023"));
        int r = match(policy, TCP, "192.168.1.10", 40000);
        assertEquals(parse("203.0.113.100"), policy.translationAddress(r));
        assertEquals(513, policy.translationPortFirst(r));
        assertEquals(1023, policy.translationPortLast(r));
        assertFalse(policy.keepsAnyOriginalPort(r));
        assertTrue(policy.isTranslationAddress(parse("203.0.113.103")));
        assertFalse(policy.isTranslationAddress(parse("203.0.113.104")));
    }

    @Test
    void excludeRuleMatchesButIsMarkedUntranslated() {
        SourceNatRule exclude = new SourceNatRule(5, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                AddressRange.parse("198.51.100.0/24"), null, true, null, null);
        SourceNatPolicy policy = compile(exclude, rule(10, SourceNatRule.ANY_PROTOCOL, null, null, null, null, null, null));
        int r = match(policy, TCP, "192.168.1.10", 40000);
        assertEquals(5, policy.ruleId(r));
        assertTrue(policy.isExclude(r));
    }
}
