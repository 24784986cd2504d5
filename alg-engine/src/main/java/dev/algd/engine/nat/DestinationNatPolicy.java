package dev.algd.engine.nat;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.DestinationNatRule;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
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
    private final int[] protocols;
    /** Per rule: source first, source last, destination first, destination last (addresses, unsigned). */
    private final int[] addressRanges;
    /** Per rule: source first, source last, destination first, destination last (ports). */
    private final int[] portRanges;
    private final boolean[] needsPorts;
    private final boolean[] hasDestinationPortCriterion;
    private final boolean[] excludes;
    private final int[] translationAddresses;
    private final int[] translationPortFirst;
    /** 0: the destination port is kept. */
    private final int[] translationPortCount;

    private DestinationNatPolicy(List<DestinationNatRule> rules, EngineConfig config) {
        count = rules.size();
        ids = new long[count];
        inboundInterfaces = new int[count];
        protocols = new int[count];
        addressRanges = new int[count * 4];
        portRanges = new int[count * 4];
        needsPorts = new boolean[count];
        hasDestinationPortCriterion = new boolean[count];
        excludes = new boolean[count];
        translationAddresses = new int[count];
        translationPortFirst = new int[count];
        translationPortCount = new int[count];
        for (int r = 0; r < count; r++) {
            DestinationNatRule rule = rules.get(r);
            ids[r] = rule.id();
            inboundInterfaces[r] = config.interfaceIndex(rule.inboundInterface());
            protocols[r] = rule.protocol();
            setAddresses(r, 0, rule.sourceAddress());
            setAddresses(r, 2, rule.destinationAddress());
            setPorts(r, 0, rule.sourcePort());
            setPorts(r, 2, rule.destinationPort());
            needsPorts[r] = rule.sourcePort() != null || rule.destinationPort() != null;
            hasDestinationPortCriterion[r] = rule.destinationPort() != null;
            // A rule without a translation address cannot translate: it behaves as exclude (the YANG model
            // makes the address mandatory for non-exclude rules).
            excludes[r] = rule.exclude() || rule.translationAddress() == null;
            translationAddresses[r] = rule.translationAddress() == null ? 0 : rule.translationAddress().first();
            PortRange ports = rule.translationPort();
            translationPortFirst[r] = ports == null ? 0 : ports.first();
            translationPortCount[r] = ports == null ? 0 : ports.size();
        }
    }

    private void setAddresses(int rule, int at, AddressRange range) {
        addressRanges[rule * 4 + at] = range == null ? 0 : range.first();
        addressRanges[rule * 4 + at + 1] = range == null ? -1 : range.last();
    }

    private void setPorts(int rule, int at, PortRange range) {
        portRanges[rule * 4 + at] = range == null ? 0 : range.first();
        portRanges[rule * 4 + at + 1] = range == null ? 65535 : range.last();
    }

    /** Compiles the enabled rules of {@code config}, keeping its ascending-id order. */
    public static DestinationNatPolicy compile(EngineConfig config) {
        List<DestinationNatRule> enabled = new ArrayList<>();
        for (DestinationNatRule rule : config.destinationNatRules()) {
            // IPv6 rules (destination NAT66) are not implemented yet; the IPv4 path must never see their ranges.
            if (!rule.disabled() && rule.addressFamily().coversIpv4()) {
                enabled.add(rule);
            }
        }
        return new DestinationNatPolicy(enabled, config);
    }

    /**
     * The first rule that matches a new flow arriving on {@code inboundInterface}, or {@link #NO_MATCH}.
     * {@code hasPorts} says whether the protocol carries ports (TCP, UDP); for others the ports are ignored.
     */
    public int match(int inboundInterface, int protocol, int sourceAddress, int sourcePort,
            int destinationAddress, int destinationPort, boolean hasPorts) {
        for (int r = 0; r < count; r++) {
            if (inboundInterfaces[r] != inboundInterface
                    || protocols[r] != SourceNatRule.ANY_PROTOCOL && protocols[r] != protocol
                    || !inRange(sourceAddress, addressRanges[r * 4], addressRanges[r * 4 + 1])
                    || !inRange(destinationAddress, addressRanges[r * 4 + 2], addressRanges[r * 4 + 3])) {
                continue;
            }
            if (needsPorts[r] && (!hasPorts
                    || sourcePort < portRanges[r * 4] || sourcePort > portRanges[r * 4 + 1]
                    || destinationPort < portRanges[r * 4 + 2] || destinationPort > portRanges[r * 4 + 3])) {
                continue;
            }
            return r;
        }
        return NO_MATCH;
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
        return translationPortFirst[rule] + (destinationPort - portRanges[rule * 4 + 2]) % size;
    }

    private static boolean inRange(int address, int first, int last) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }
}
