package dev.algd.engine.nat;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FlowCriteria;
import dev.algd.engine.config.PortRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code service nat destination} rules of one config, compiled for the per-packet path. Evaluated once per new
 * session, before the route lookup (so the route is found for the translated destination): in ascending rule id on
 * the interface the packet arrived on, the first rule that matches wins. Matching is as for
 * {@link SourceNatPolicy}: protocol, source/destination address and port ranges, an absent criterion matches
 * anything, a port criterion matches only protocols with ports, disabled rules are left out, and an {@code exclude}
 * rule matches but does not translate.
 * <p>
 * Translation: the first address of the rule's range (address pools come later). The destination port is kept
 * when the rule names no translation port; a single translation port replaces it; a translation port range maps the
 * rule's destination port range onto it offset by offset ({@code 8080-8089 -> 80-89}: 8083 becomes 83), wrapping
 * when the translation range is the shorter one. A range with no destination port criterion to be offset from
 * translates to its first port. ICMP echo identifiers are never changed by destination NAT.
 */
public final class DestinationNatPolicy {
    public static final int NO_MATCH = -1;

    private final int count;
    private final long[] ids;
    private final int[] inboundInterfaces;
    private final FlowCriteria criteria;
    private final boolean[] hasDestinationPortCriterion;
    private final boolean[] excludes;
    private final int[] translationAddresses;
    private final int[] translationPortFirst;
    /** 0: the destination port is kept. */
    private final int[] translationPortCount;
    /** IPv6 policies only, per rule: the translation range (first high, first low, ...); the address is its first. */
    private final long[] translationRanges6;

    private DestinationNatPolicy(List<DestinationNatRule> rules, EngineConfig config, boolean isIpv6) {
        count = rules.size();
        translationRanges6 = new long[isIpv6 ? count * 4 : 0];
        ids = new long[count];
        inboundInterfaces = new int[count];
        criteria = new FlowCriteria(count);
        hasDestinationPortCriterion = new boolean[count];
        excludes = new boolean[count];
        translationAddresses = new int[count];
        translationPortFirst = new int[count];
        translationPortCount = new int[count];
        for (int r = 0; r < count; r++) {
            DestinationNatRule rule = rules.get(r);
            ids[r] = rule.id();
            inboundInterfaces[r] = config.interfaceIndex(rule.inboundInterface());
            criteria.set(r, rule.protocol(), rule.sourceAddress(), rule.destinationAddress(), rule.sourcePort(),
                    rule.destinationPort());
            hasDestinationPortCriterion[r] = rule.destinationPort() != null;
            // A rule without a translation address cannot translate: it behaves as exclude (the YANG model
            // makes the address mandatory for non-exclude rules).
            excludes[r] = rule.exclude() || rule.translationAddress() == null;
            translationAddresses[r] = rule.translationAddress() == null ? 0 : rule.translationAddress().first();
            PortRange ports = rule.translationPort();
            translationPortFirst[r] = ports == null ? 0 : ports.first();
            translationPortCount[r] = ports == null ? 0 : ports.size();
            if (isIpv6) {
                AddressRange.storeIpv6(rule.translationAddress(), translationRanges6, r * 4);
            }
        }
    }

    /** Compiles the enabled rules of {@code config} that apply to IPv4, keeping its ascending-id order. */
    public static DestinationNatPolicy compile(EngineConfig config) {
        return compile(config, false);
    }

    /**
     * Compiles the enabled rules of {@code config} that apply to IPv6 (destination NAT66), keeping its ascending-id
     * order: use {@link #match6}, {@link #translationAddressHigh} and {@link #translationAddressLow} on it. A rule
     * that names no address at all applies to both families but translates only to an address of one, so it is
     * left to the family of its translation address.
     */
    public static DestinationNatPolicy compile6(EngineConfig config) {
        return compile(config, true);
    }

    private static DestinationNatPolicy compile(EngineConfig config, boolean isIpv6) {
        List<DestinationNatRule> enabled = new ArrayList<>();
        for (DestinationNatRule rule : config.destinationNatRules()) {
            boolean ofFamily = isIpv6 ? rule.addressFamily().coversIpv6() : rule.addressFamily().coversIpv4();
            if (!rule.disabled() && ofFamily) {
                enabled.add(rule);
            }
        }
        return new DestinationNatPolicy(enabled, config, isIpv6);
    }

    /**
     * The first rule that matches a new flow arriving on {@code inboundInterface}, or {@link #NO_MATCH}.
     * {@code hasPorts} says whether the protocol carries ports (TCP, UDP); for others the ports are ignored.
     */
    public int match(int inboundInterface, int protocol, int sourceAddress, int sourcePort,
            int destinationAddress, int destinationPort, boolean hasPorts) {
        for (int r = 0; r < count; r++) {
            if (inboundInterfaces[r] == inboundInterface && criteria.matches(r, protocol, sourceAddress, sourcePort,
                    destinationAddress, destinationPort, hasPorts)) {
                return r;
            }
        }
        return NO_MATCH;
    }

    /** {@link #match} for an IPv6 flow, on a policy from {@link #compile6}. */
    public int match6(int inboundInterface, int protocol, long sourceHigh, long sourceLow, int sourcePort,
            long destinationHigh, long destinationLow, int destinationPort, boolean hasPorts) {
        for (int r = 0; r < count; r++) {
            if (inboundInterfaces[r] == inboundInterface && criteria.matches6(r, protocol, sourceHigh, sourceLow,
                    sourcePort, destinationHigh, destinationLow, destinationPort, hasPorts)) {
                return r;
            }
        }
        return NO_MATCH;
    }

    /** The high 64 bits of an IPv6 rule's translation address. */
    public long translationAddressHigh(int rule) {
        return translationRanges6[rule * 4];
    }

    /** The low 64 bits of an IPv6 rule's translation address. */
    public long translationAddressLow(int rule) {
        return translationRanges6[rule * 4 + 1];
    }

    public long ruleId(int rule) {
        return ids[rule];
    }

    /** Whether matching flows pass with their destination untranslated. */
    public boolean isExclude(int rule) {
        return excludes[rule];
    }

    public int translationAddress(int rule) {
        return translationAddresses[rule];
    }

    /** The translated destination port of a matching flow (see the class comment); {@code hasPorts} false keeps it. */
    public int translatedPort(int rule, int destinationPort, boolean hasPorts) {
        int size = translationPortCount[rule];
        if (!hasPorts || size == 0) {
            return destinationPort;
        }
        if (size == 1 || !hasDestinationPortCriterion[rule]) {
            return translationPortFirst[rule];
        }
        return translationPortFirst[rule] + (destinationPort - criteria.destinationPortFirst(rule)) % size;
    }
}
