package dev.algd.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigValidatorTest {
    private final EngineConfigValidator validator = new EngineConfigValidator();

    private static EngineConfig algs(AlgSettings... settings) {
        var map = new java.util.EnumMap<AlgId, AlgSettings>(AlgId.class);
        for (AlgSettings s : settings) {
            map.put(s.alg(), s);
        }
        return new EngineConfig(map, List.of(), List.of(), List.of());
    }

    private static AlgSettings ports(AlgId alg, Integer... ports) {
        return new AlgSettings(alg, true, List.of(ports), List.of());
    }

    private List<String> tags(EngineConfig config) {
        return validator.validate(config).stream().map(Violation::appTag).toList();
    }

    @Test
    void defaultConfigurationIsAccepted() {
        assertEquals(List.of(), validator.validate(EngineConfig.empty()));
    }

    @Test
    void samePortUnderTwoAlgsIsRefusedNamingBoth() {
        List<Violation> violations = validator.validate(algs(ports(AlgId.FTP, 4242), ports(AlgId.SIP, 4242)));
        assertEquals(1, violations.size());
        Violation v = violations.getFirst();
        assertEquals("/system/alg/sip/port[.='4242']", v.path());
        assertEquals(EngineConfigValidator.ALG_PORT_CONFLICT, v.appTag());
        assertTrue(v.message().contains("ftp"), v.message());
    }

    @Test
    void anotherEnabledAlgsDefaultPortIsRefused() {
        assertEquals(List.of(EngineConfigValidator.ALG_DEFAULT_PORT_IN_USE), tags(algs(ports(AlgId.TFTP, 21))));
    }

    @Test
    void defaultPortIsFreeOnceItsAlgIsDisabledOrReported() {
        var ftpDisabled = new AlgSettings(AlgId.FTP, false, List.of(), List.of());
        assertEquals(List.of(), tags(algs(ports(AlgId.TFTP, 21), ftpDisabled)));
        assertEquals(List.of(), tags(algs(ports(AlgId.TFTP, 21), ports(AlgId.FTP, 2121))));
    }

    @Test
    void rpcAndRshDefaultPortsStayReservedWhileEnabled() {
        assertEquals(List.of(EngineConfigValidator.ALG_DEFAULT_PORT_IN_USE), tags(algs(ports(AlgId.SIP, 111))));
        assertEquals(List.of(EngineConfigValidator.ALG_DEFAULT_PORT_IN_USE), tags(algs(ports(AlgId.FTP, 514))));
    }

    @Test
    void portZeroAndThirtyThreePortsAreRefused() {
        assertEquals(List.of(EngineConfigValidator.ALG_PORT_RANGE), tags(algs(ports(AlgId.FTP, 0))));
        Integer[] many = new Integer[33];
        for (int i = 0; i < many.length; i++) {
            many[i] = 3000 + i;
        }
        assertEquals(List.of(EngineConfigValidator.ALG_TOO_MANY_PORTS), tags(algs(ports(AlgId.SIP, many))));
    }

    @Test
    void everyViolationIsReportedNotOnlyTheFirst() {
        assertEquals(2, validator.validate(algs(ports(AlgId.FTP, 0), ports(AlgId.TFTP, 5060))).size());
    }

    @Test
    void natRuleNamingAnUnknownInterfaceIsRefused() {
        var rule = new SourceNatRule(10, "", false, "eth9", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, null, null);
        var config = new EngineConfig(Map.of(), List.of(new InterfaceConfig("outside", "outside",
                List.of(Ipv4Prefix.parse("198.51.100.1/24")))), List.of(), List.of(rule));
        List<Violation> violations = validator.validate(config);
        assertEquals("/service/nat/source/rule[id='10']/outbound-interface", violations.getFirst().path());
        assertEquals(EngineConfigValidator.NAT_UNKNOWN_INTERFACE, violations.getFirst().appTag());
    }

    @Test
    void masqueradeOnAnInterfaceWithoutAddressIsRefused() {
        var rule = new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null, null, null,
                false, null, null);
        var config = new EngineConfig(Map.of(), List.of(new InterfaceConfig("outside", "outside", List.of())),
                List.of(), List.of(rule));
        assertEquals(List.of(EngineConfigValidator.NAT_MASQUERADE_WITHOUT_ADDRESS), tags(config));
    }

    @Test
    void staticRouteNeedsAConnectedNextHop() {
        var config = new EngineConfig(Map.of(), List.of(new InterfaceConfig("outside", "outside",
                List.of(Ipv4Prefix.parse("198.51.100.1/24")))),
                List.of(new StaticRoute(Ipv4Prefix.parse("0.0.0.0/0"), Ipv4Addresses.parse("203.0.113.9"))), List.of());
        assertEquals(List.of(EngineConfigValidator.ROUTE_NEXT_HOP_UNREACHABLE), tags(config));
    }

    @Test
    void firewallAttachmentNamingAMissingRuleSetIsRefused() {
        var config = new EngineConfig(Map.of(), List.of(new InterfaceConfig("outside", "outside",
                List.of(Ipv4Prefix.parse("198.51.100.1/24")))), List.of(), List.of(), List.of(), Map.of(),
                List.of(new FirewallAttachment("outside", true, "only-111")));
        List<Violation> violations = validator.validate(config);
        assertEquals("/interfaces/interface[name='outside']/firewall/in", violations.getFirst().path());
        assertEquals(EngineConfigValidator.FIREWALL_UNKNOWN_RULE_SET, violations.getFirst().appTag());
    }

    @Test
    void destinationRuleNamingAnUnknownInterfaceIsRefused() {
        var rule = new DestinationNatRule(7, "", false, "wan", 6, null, null, null, new PortRange(21, 21), false,
                AddressRange.parse("192.0.2.10"), null);
        var config = new EngineConfig(Map.of(), List.of(), List.of(), List.of(), List.of(rule), Map.of(), List.of());
        assertEquals(List.of(EngineConfigValidator.NAT_UNKNOWN_INTERFACE), tags(config));
    }

    private static EngineConfig withIpv6Interface(List<SourceNatRule> rules, List<Ipv6Prefix> outsideIpv6) {
        return new EngineConfig(Map.of(), List.of(new InterfaceConfig("outside", "eth1",
                List.of(Ipv4Prefix.parse("203.0.113.1/24")), outsideIpv6)), List.of(), rules);
    }

    private static SourceNatRule natRule(String source, String translation) {
        return new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL,
                source == null ? null : AddressRange.parse(source), null, null, null, false,
                translation == null ? null : AddressRange.parse(translation), null);
    }

    @Test
    void natRuleMatchingIpv6ButTranslatingToIpv4IsRefusedNamingBoth() {
        List<Violation> violations = validator.validate(withIpv6Interface(
                List.of(natRule("2001:db8:1::/64", "203.0.113.9")), List.of(Ipv6Prefix.parse("2001:db8:2::1/64"))));

        assertEquals(1, violations.size());
        Violation v = violations.getFirst();
        assertEquals(EngineConfigValidator.NAT_ADDRESS_FAMILY_MISMATCH, v.appTag());
        assertEquals("/service/nat/source/rule[id='10']", v.path());
        assertTrue(v.message().contains("source 2001:db8:1::/64")
                && v.message().contains("203.0.113.9"), v.message());
    }

    @Test
    void natRulesOfOneFamilyEachAreAccepted() {
        assertEquals(List.of(), tags(withIpv6Interface(List.of(natRule("2001:db8:1::/64", "2001:db8:2::9")),
                List.of())));
        assertEquals(List.of(), tags(withIpv6Interface(List.of(natRule("2001:db8:1::/64", null)),
                List.of(Ipv6Prefix.parse("2001:db8:2::1/64")))));
    }

    @Test
    void ipv6MasqueradeNeedsAnIpv6AddressOnTheInterface() {
        List<Violation> violations = validator.validate(withIpv6Interface(
                List.of(natRule("2001:db8:1::/64", null)), List.of()));

        assertEquals(List.of(EngineConfigValidator.NAT_MASQUERADE_WITHOUT_ADDRESS),
                violations.stream().map(Violation::appTag).toList());
        assertTrue(violations.getFirst().message().contains("an IPv6 address"), violations.getFirst().message());
    }

    @Test
    void firewallRuleMixingFamiliesIsRefused() {
        FirewallRule mixed = new FirewallRule(5, true, SourceNatRule.ANY_PROTOCOL,
                AddressRange.parse("2001:db8:1::/64"), null, AddressRange.parse("198.51.100.0/24"), null,
                java.util.Set.of());
        EngineConfig config = new EngineConfig(Map.of(), List.of(), List.of(), List.of(), List.of(),
                Map.of("in", new FirewallRuleSet("in", true, List.of(mixed))), List.of());

        assertEquals(List.of(EngineConfigValidator.FIREWALL_ADDRESS_FAMILY_MISMATCH), tags(config));
        assertEquals("/firewall/rule-set[name='in']/rule[id='5']",
                validator.validate(config).getFirst().path(), "the YANG list is rule-set");
    }

    @Test
    void ipv6RouteNextHopMustBeOnAConnectedIpv6Prefix() {
        EngineConfig config = new EngineConfig(Map.of(), List.of(new InterfaceConfig("outside", "eth1", List.of(),
                List.of(Ipv6Prefix.parse("2001:db8:2::1/64")))), List.of(), List.of(), List.of(), Map.of(),
                List.of(), List.of(new Ipv6Route(Ipv6Prefix.parse("::/0"), Ipv6Address.parse("2001:db8:9::1")),
                        new Ipv6Route(Ipv6Prefix.parse("2001:db8:7::/48"), Ipv6Address.parse("2001:db8:2::fe"))));

        assertEquals(List.of(EngineConfigValidator.ROUTE_NEXT_HOP_UNREACHABLE), tags(config));
    }

    @Test
    void greRulesNamingPortsAreRefusedOncePerPort() {
        var outside = new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")));
        var snat = new SourceNatRule(10, "", false, "outside", 47, null, new PortRange(1000, 2000), null, null,
                false, AddressRange.parse("203.0.113.1"), new PortRange(4000, 4000));
        var dnat = new DestinationNatRule(20, "", false, "outside", 47, null, null, null, new PortRange(1723, 1723),
                false, AddressRange.parse("192.168.1.5"), null);
        var firewall = new FirewallRule(30, true, 47, null, null, null, new PortRange(22, 22), java.util.Set.of());
        EngineConfig config = new EngineConfig(Map.of(), List.of(outside), List.of(), List.of(snat), List.of(dnat),
                Map.of("in", new FirewallRuleSet("in", true, List.of(firewall))), List.of());

        List<Violation> violations = validator.validate(config);

        assertEquals(List.of("/service/nat/source/rule[id='10']/source/port",
                "/service/nat/source/rule[id='10']/translation/port",
                "/service/nat/destination/rule[id='20']/destination/port",
                "/firewall/rule-set[name='in']/rule[id='30']/destination/port"),
                violations.stream().map(Violation::path).sorted(java.util.Comparator.comparing(
                        p -> p.startsWith("/service/nat/source") ? 0 : p.startsWith("/service") ? 1 : 2)).toList());
        assertTrue(violations.stream().allMatch(v -> v.appTag().equals(EngineConfigValidator.RULE_PORT_WITHOUT_PORTS)));
        assertTrue(violations.getFirst().message().contains("port 1000-2000 given for protocol gre"),
                violations.getFirst().message());
    }

    @Test
    void greRulesWithoutPortsAndPortsOfOtherProtocolsAreAccepted() {
        var outside = new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("203.0.113.1/24")));
        var gre = new SourceNatRule(10, "", false, "outside", 47, AddressRange.parse("192.168.1.0/24"), null, null,
                null, false, null, null);
        var udp = new SourceNatRule(20, "", false, "outside", 17, null, new PortRange(53, 53), null, null,
                false, null, null);
        assertEquals(List.of(), validator.validate(new EngineConfig(Map.of(), List.of(outside), List.of(),
                List.of(gre, udp))));
    }
}
