package dev.algd.engine.nat;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FlowCriteria;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.engine.config.PortRange;
import dev.algd.engine.config.SourceNatRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code service nat source} rules of one config, compiled for the per-packet path. Evaluated once per new
 * session (never per packet of an existing one): in ascending rule id, the first rule that matches wins. A rule
 * matches on the outbound interface (from the route lookup), the protocol and the source/destination address and
 * port ranges; an absent criterion matches anything. Disabled rules are left out. A rule with a port criterion
 * matches only packets that have ports (TCP, UDP). An {@code exclude} rule matches but does not translate.
 * <p>
 * Translation address: the first address of the rule's range, or for masquerade the first address of the outbound
 * interface. Translation ports: the rule's range, else 1024..65535 with the original port kept anywhere it is free.
 */
public final class SourceNatPolicy {
    public static final int NO_MATCH = -1;
    /** Ports picked when a rule names no translation port range (its comment in {@link SourceNatRule}). */
    public static final int DEFAULT_PORT_FIRST = 1024;
    public static final int DEFAULT_PORT_LAST = 65535;

    private static final SourceNatPolicy EMPTY = new SourceNatPolicy(List.of(), EngineConfig.empty(), false);

    private final int count;
    private final long[] ids;
    private final int[] outboundInterfaces;
    private final FlowCriteria criteria;
    private final boolean[] excludes;
    private final boolean[] hasTranslationAddress;
    private final int[] translationAddresses;
    private final int[] poolFirst;
    private final int[] poolLast;
    private final int[] translationPortFirst;
    private final int[] translationPortLast;
    private final boolean[] keepsAnyOriginalPort;
    /** IPv6 policies only, per rule: the translation range (first high, first low, ...); the address is its first. */
    private final long[] translationRanges6;

    private SourceNatPolicy(List<SourceNatRule> rules, EngineConfig config, boolean isIpv6) {
        count = rules.size();
        translationRanges6 = new long[isIpv6 ? count * 4 : 0];
        ids = new long[count];
        outboundInterfaces = new int[count];
        criteria = new FlowCriteria(count);
        excludes = new boolean[count];
        hasTranslationAddress = new boolean[count];
        translationAddresses = new int[count];
        poolFirst = new int[count];
        poolLast = new int[count];
        translationPortFirst = new int[count];
        translationPortLast = new int[count];
        keepsAnyOriginalPort = new boolean[count];
        for (int r = 0; r < count; r++) {
            SourceNatRule rule = rules.get(r);
            ids[r] = rule.id();
            int outbound = config.interfaceIndex(rule.outboundInterface());
            outboundInterfaces[r] = outbound;
            criteria.set(r, rule.protocol(), rule.sourceAddress(), rule.destinationAddress(), rule.sourcePort(),
                    rule.destinationPort());
            excludes[r] = rule.exclude();
            AddressRange pool = rule.translationAddress();
            if (pool != null) {
                hasTranslationAddress[r] = true;
                translationAddresses[r] = pool.first();
                poolFirst[r] = pool.first();
                poolLast[r] = pool.last();
            } else if (outbound >= 0 && !config.interfaces().get(outbound).addresses().isEmpty()) {
                hasTranslationAddress[r] = true;
                translationAddresses[r] = config.interfaces().get(outbound).addresses().get(0).address();
                poolFirst[r] = translationAddresses[r];
                poolLast[r] = translationAddresses[r];
            }
            PortRange ports = rule.translationPort();
            translationPortFirst[r] = ports == null ? DEFAULT_PORT_FIRST : ports.first();
            translationPortLast[r] = ports == null ? DEFAULT_PORT_LAST : ports.last();
            keepsAnyOriginalPort[r] = ports == null;
            if (isIpv6) {
                compileIpv6(r, rule, outbound, config);
            }
        }
    }

    /** The IPv6 ranges of rule {@code r}; masquerade translates to the outbound interface's first IPv6 address. */
    private void compileIpv6(int r, SourceNatRule rule, int outbound, EngineConfig config) {
        AddressRange pool = rule.translationAddress();
        hasTranslationAddress[r] = false;
        if (pool != null) {
            hasTranslationAddress[r] = true;
            AddressRange.storeIpv6(pool, translationRanges6, r * 4);
        } else if (outbound >= 0 && !config.interfaces().get(outbound).ipv6Addresses().isEmpty()) {
            hasTranslationAddress[r] = true;
            Ipv6Address own = config.interfaces().get(outbound).ipv6Addresses().get(0).address();
            AddressRange.storeIpv6(AddressRange.ofIpv6(own, own), translationRanges6, r * 4);
        }
    }

    /** Compiles the enabled rules of {@code config} that apply to IPv4, keeping its ascending-id order. */
    public static SourceNatPolicy compile(EngineConfig config) {
        List<SourceNatRule> enabled = new ArrayList<>();
        for (SourceNatRule rule : config.sourceNatRules()) {
            if (!rule.disabled() && rule.addressFamily().coversIpv4()) {
                enabled.add(rule);
            }
        }
        return new SourceNatPolicy(enabled, config, false);
    }

    /**
     * Compiles the enabled rules of {@code config} that apply to IPv6 (stateful NAPT66), keeping its ascending-id
     * order: use {@link #match6}, {@link #translationAddressHigh}, {@link #translationAddressLow} and
     * {@link #isTranslationAddress6} on it.
     */
    public static SourceNatPolicy compile6(EngineConfig config) {
        List<SourceNatRule> enabled = new ArrayList<>();
        for (SourceNatRule rule : config.sourceNatRules()) {
            if (!rule.disabled() && rule.addressFamily().coversIpv6()) {
                enabled.add(rule);
            }
        }
        return new SourceNatPolicy(enabled, config, true);
    }

    public static SourceNatPolicy empty() {
        return EMPTY;
    }

    /**
     * The first rule that matches a new flow leaving through {@code outboundInterface}, or {@link #NO_MATCH}.
     * {@code hasPorts} says whether the protocol carries ports (TCP, UDP); for others the ports are ignored.
     */
    public int match(int outboundInterface, int protocol, int sourceAddress, int sourcePort,
            int destinationAddress, int destinationPort, boolean hasPorts) {
        for (int r = 0; r < count; r++) {
            if (outboundInterfaces[r] == outboundInterface && criteria.matches(r, protocol, sourceAddress,
                    sourcePort, destinationAddress, destinationPort, hasPorts)) {
                return r;
            }
        }
        return NO_MATCH;
    }

    /** {@link #match} for an IPv6 flow, on a policy from {@link #compile6}. */
    public int match6(int outboundInterface, int protocol, long sourceHigh, long sourceLow, int sourcePort,
            long destinationHigh, long destinationLow, int destinationPort, boolean hasPorts) {
        for (int r = 0; r < count; r++) {
            if (outboundInterfaces[r] == outboundInterface && criteria.matches6(r, protocol, sourceHigh, sourceLow,
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

    /** {@link #isTranslationAddress} for an IPv6 address, on a policy from {@link #compile6}. */
    public boolean isTranslationAddress6(long high, long low) {
        for (int r = 0; r < count; r++) {
            int at = r * 4;
            if (!excludes[r] && hasTranslationAddress[r] && AddressRange.contains6(translationRanges6[at],
                    translationRanges6[at + 1], translationRanges6[at + 2], translationRanges6[at + 3], high, low)) {
                return true;
            }
        }
        return false;
    }

    public long ruleId(int rule) {
        return ids[rule];
    }

    /** Whether the rule is {@code exclude}: matching flows pass untranslated. */
    public boolean isExclude(int rule) {
        return excludes[rule];
    }

    /** False only for masquerade on an interface without an address (the validator rejects that config). */
    public boolean hasTranslationAddress(int rule) {
        return hasTranslationAddress[rule];
    }

    public int translationAddress(int rule) {
        return translationAddresses[rule];
    }

    public int translationPortFirst(int rule) {
        return translationPortFirst[rule];
    }

    public int translationPortLast(int rule) {
        return translationPortLast[rule];
    }

    /** Whether the original port may be kept even outside the translation port range (no range configured). */
    public boolean keepsAnyOriginalPort(int rule) {
        return keepsAnyOriginalPort[rule];
    }

    /**
     * Whether {@code address} is in the translation range of an enabled, non-exclude rule: traffic to it that
     * matches no session has nowhere to go and is dropped rather than routed back out.
     */
    public boolean isTranslationAddress(int address) {
        for (int r = 0; r < count; r++) {
            if (!excludes[r] && hasTranslationAddress[r] && inRange(address, poolFirst[r], poolLast[r])) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(int address, int first, int last) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }
}
