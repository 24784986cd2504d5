package dev.algd.engine.nat;

import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
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

    private static final SourceNatPolicy EMPTY = new SourceNatPolicy(List.of(), EngineConfig.empty());

    private final int count;
    private final long[] ids;
    private final int[] outboundInterfaces;
    private final int[] protocols;
    private final int[] sourceFirst;
    private final int[] sourceLast;
    private final int[] destinationFirst;
    private final int[] destinationLast;
    /** Per rule: source first, source last, destination first, destination last. */
    private final int[] portRanges;
    private final boolean[] needsPorts;
    private final boolean[] excludes;
    private final boolean[] hasTranslationAddress;
    private final int[] translationAddresses;
    private final int[] poolFirst;
    private final int[] poolLast;
    private final int[] translationPortFirst;
    private final int[] translationPortLast;
    private final boolean[] keepsAnyOriginalPort;

    private SourceNatPolicy(List<SourceNatRule> rules, EngineConfig config) {
        count = rules.size();
        ids = new long[count];
        outboundInterfaces = new int[count];
        protocols = new int[count];
        sourceFirst = new int[count];
        sourceLast = new int[count];
        destinationFirst = new int[count];
        destinationLast = new int[count];
        portRanges = new int[count * 4];
        needsPorts = new boolean[count];
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
            protocols[r] = rule.protocol();
            sourceFirst[r] = rule.sourceAddress() == null ? 0 : rule.sourceAddress().first();
            sourceLast[r] = rule.sourceAddress() == null ? -1 : rule.sourceAddress().last();
            destinationFirst[r] = rule.destinationAddress() == null ? 0 : rule.destinationAddress().first();
            destinationLast[r] = rule.destinationAddress() == null ? -1 : rule.destinationAddress().last();
            setPorts(r, 0, rule.sourcePort());
            setPorts(r, 2, rule.destinationPort());
            needsPorts[r] = rule.sourcePort() != null || rule.destinationPort() != null;
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
        }
    }

    private void setPorts(int rule, int at, PortRange range) {
        portRanges[rule * 4 + at] = range == null ? 0 : range.first();
        portRanges[rule * 4 + at + 1] = range == null ? 65535 : range.last();
    }

    /** Compiles the enabled rules of {@code config}, keeping its ascending-id order. */
    public static SourceNatPolicy compile(EngineConfig config) {
        List<SourceNatRule> enabled = new ArrayList<>();
        for (SourceNatRule rule : config.sourceNatRules()) {
            if (!rule.disabled()) {
                enabled.add(rule);
            }
        }
        return new SourceNatPolicy(enabled, config);
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
            if (outboundInterfaces[r] != outboundInterface
                    || protocols[r] != SourceNatRule.ANY_PROTOCOL && protocols[r] != protocol
                    || !inRange(sourceAddress, sourceFirst[r], sourceLast[r])
                    || !inRange(destinationAddress, destinationFirst[r], destinationLast[r])) {
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
