package dev.algd.engine.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlowCriteriaTest {
    private static final int TCP = 6;
    private static final int ICMP = 1;
    private static final int CLIENT = Ipv4Addresses.parse("192.0.2.10");
    private static final int SERVER = Ipv4Addresses.parse("198.51.100.2");
    private static final Ipv6Address CLIENT6 = Ipv6Address.parse("2001:db8:1::10");
    private static final Ipv6Address SERVER6 = Ipv6Address.parse("2001:db8:2::2");

    private static AddressRange range(String first, String last) {
        return new AddressRange(Ipv4Addresses.parse(first), Ipv4Addresses.parse(last));
    }

    @Test
    void aRuleWithoutCriteriaMatchesEveryFlowOfBothFamilies() {
        FlowCriteria criteria = new FlowCriteria(1);
        criteria.set(0, SourceNatRule.ANY_PROTOCOL, null, null, null, null);
        assertTrue(criteria.matches(0, TCP, CLIENT, 40000, SERVER, 80, true));
        assertTrue(criteria.matches(0, ICMP, CLIENT, 7, SERVER, 0, false));
        assertTrue(criteria.matches6(0, TCP, CLIENT6.high(), CLIENT6.low(), 40000, SERVER6.high(), SERVER6.low(), 80,
                true));
    }

    @Test
    void addressRangesAreInclusiveAndComparedUnsigned() {
        FlowCriteria criteria = new FlowCriteria(1);
        criteria.set(0, TCP, range("192.0.2.0", "192.0.2.255"), range("198.51.100.2", "255.255.255.255"), null, null);
        assertTrue(criteria.matches(0, TCP, Ipv4Addresses.parse("192.0.2.255"), 1, SERVER, 80, true));
        assertTrue(criteria.matches(0, TCP, CLIENT, 1, Ipv4Addresses.parse("240.0.0.1"), 80, true),
                "an address above 127.255.255.255 is inside a range that reaches the top");
        assertFalse(criteria.matches(0, TCP, Ipv4Addresses.parse("192.0.3.0"), 1, SERVER, 80, true));
        assertFalse(criteria.matches(0, TCP, CLIENT, 1, Ipv4Addresses.parse("198.51.100.1"), 80, true));
        assertFalse(criteria.matches(0, 17, CLIENT, 1, SERVER, 80, true), "another protocol");
    }

    @Test
    void aPortCriterionNeverMatchesAProtocolWithoutPorts() {
        FlowCriteria criteria = new FlowCriteria(1);
        criteria.set(0, SourceNatRule.ANY_PROTOCOL, null, null, null, new PortRange(513, 1023));
        assertTrue(criteria.matches(0, TCP, CLIENT, 40000, SERVER, 514, true));
        assertFalse(criteria.matches(0, TCP, CLIENT, 40000, SERVER, 1024, true));
        assertFalse(criteria.matches(0, ICMP, CLIENT, 514, SERVER, 514, false), "ICMP has no ports to match");
    }

    @Test
    void anIpv6RangeMatchesByAll128Bits() {
        FlowCriteria criteria = new FlowCriteria(1);
        criteria.set(0, TCP, AddressRange.ofIpv6(Ipv6Address.parse("2001:db8:1::"),
                Ipv6Address.parse("2001:db8:1::ffff")), null, null, null);
        assertTrue(criteria.matches6(0, TCP, CLIENT6.high(), CLIENT6.low(), 1, SERVER6.high(), SERVER6.low(), 80,
                true));
        Ipv6Address outside = Ipv6Address.parse("2001:db8:1::1:0");
        assertFalse(criteria.matches6(0, TCP, outside.high(), outside.low(), 1, SERVER6.high(), SERVER6.low(), 80,
                true));
    }
}
