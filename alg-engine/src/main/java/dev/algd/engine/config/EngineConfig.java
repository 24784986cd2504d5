package dev.algd.engine.config;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One committed configuration, immutable. The engine swaps it in as a whole; sessions keep the snapshot
 * they were created with.
 *
 * @param interfaces in a fixed order: an interface's position is its index on the data path
 * @param sourceNatRules sorted by ascending rule id
 * @param destinationNatRules sorted by ascending rule id
 * @param firewallRuleSets by name
 * @param firewallAttachments which rule set filters which interface, in or out
 * @param ipv6StaticRoutes IPv6 static routes; added after the first release, so it comes last
 */
public record EngineConfig(
        Map<AlgId, AlgSettings> algs,
        List<InterfaceConfig> interfaces,
        List<StaticRoute> staticRoutes,
        List<SourceNatRule> sourceNatRules,
        List<DestinationNatRule> destinationNatRules,
        Map<String, FirewallRuleSet> firewallRuleSets,
        List<FirewallAttachment> firewallAttachments,
        List<Ipv6Route> ipv6StaticRoutes) {

    public EngineConfig {
        var complete = new EnumMap<AlgId, AlgSettings>(AlgId.class);
        for (AlgId id : AlgId.values()) {
            complete.put(id, algs.getOrDefault(id, AlgSettings.defaults(id)));
        }
        algs = Map.copyOf(complete);
        interfaces = List.copyOf(interfaces);
        staticRoutes = List.copyOf(staticRoutes);
        sourceNatRules = sourceNatRules.stream().sorted(Comparator.comparingLong(SourceNatRule::id)).toList();
        destinationNatRules = destinationNatRules.stream()
                .sorted(Comparator.comparingLong(DestinationNatRule::id)).toList();
        firewallRuleSets = Map.copyOf(firewallRuleSets);
        firewallAttachments = List.copyOf(firewallAttachments);
        ipv6StaticRoutes = List.copyOf(ipv6StaticRoutes);
    }

    /** Without IPv6 static routes (the record's shape before IPv6). */
    public EngineConfig(Map<AlgId, AlgSettings> algs, List<InterfaceConfig> interfaces,
            List<StaticRoute> staticRoutes, List<SourceNatRule> sourceNatRules,
            List<DestinationNatRule> destinationNatRules, Map<String, FirewallRuleSet> firewallRuleSets,
            List<FirewallAttachment> firewallAttachments) {
        this(algs, interfaces, staticRoutes, sourceNatRules, destinationNatRules, firewallRuleSets,
                firewallAttachments, List.of());
    }

    /** Interfaces, routes and source NAT only: no destination NAT, no firewall. */
    public EngineConfig(Map<AlgId, AlgSettings> algs, List<InterfaceConfig> interfaces,
            List<StaticRoute> staticRoutes, List<SourceNatRule> sourceNatRules) {
        this(algs, interfaces, staticRoutes, sourceNatRules, List.of(), Map.of(), List.of());
    }

    /** Nothing configured: no interfaces, all ALGs enabled on their default ports. */
    public static EngineConfig empty() {
        return new EngineConfig(Map.of(), List.of(), List.of(), List.of());
    }

    public AlgSettings alg(AlgId id) {
        return algs.get(id);
    }

    /** The data-path index of the named interface, or -1. */
    public int interfaceIndex(String name) {
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
