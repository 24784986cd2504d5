package dev.algd.engine.firewall;

import dev.algd.engine.config.AddressFamily;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.FirewallAttachment;
import dev.algd.engine.config.FirewallRule;
import dev.algd.engine.config.FirewallRuleSet;
import dev.algd.engine.config.FlowCriteria;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The firewall rule sets of one config and which interface they filter, compiled for the per-packet path.
 * <p>
 * A rule set's rules are tried in ascending id and the first match decides; with none, the set's default action
 * does. A rule with no states matches every state. Which packets are evaluated is the engine's business (see
 * {@link #isAccepted}): the first packet of a new session against the rule set of its ingress interface (inbound)
 * and of its egress interface (outbound), and RELATED packets (ICMP errors about a session, ALG child flows).
 * RELATED packets belong to a flow the firewall already accepted, so they pass unless a rule that names RELATED
 * explicitly matches and drops them: rules without states and the default action are not applied to them. Without
 * that, a rule set that accepts only FTP's port 21 would drop the data connection the ALG expected, which is what
 * the guide's pinholes are for.
 * <p>
 * An attachment that names an unknown interface or rule set is ignored; when one interface direction has several
 * attachments the first one counts.
 */
public final class FirewallPolicy {
    /** No rule set filters this interface in this direction. */
    public static final int NONE = -1;
    public static final int STATE_NEW = 1;
    public static final int STATE_ESTABLISHED = 2;
    public static final int STATE_RELATED = 4;
    private static final int ALL_STATES = STATE_NEW | STATE_ESTABLISHED | STATE_RELATED;

    private final int[] inbound;
    private final int[] outbound;
    /** Per rule set: index of its first rule; the rules of set s are {@code [ruleStart[s], ruleStart[s + 1])}. */
    private final int[] ruleStart;
    private final boolean[] defaultAccepts;
    private final boolean[] accepts;
    /** Per rule: the states it names, 0 for none. */
    private final int[] states;
    private final FlowCriteria criteria;
    /** Per rule: the {@link AddressFamily} it applies to (a rule without addresses applies to both). */
    private final AddressFamily[] families;

    private FirewallPolicy(EngineConfig config) {
        List<FirewallRuleSet> sets = new ArrayList<>(config.firewallRuleSets().values());
        sets.sort((a, b) -> a.name().compareTo(b.name()));
        Map<String, Integer> indexByName = new HashMap<>();
        int ruleCount = 0;
        for (int s = 0; s < sets.size(); s++) {
            indexByName.put(sets.get(s).name(), s);
            ruleCount += sets.get(s).rules().size();
        }
        ruleStart = new int[sets.size() + 1];
        defaultAccepts = new boolean[sets.size()];
        accepts = new boolean[ruleCount];
        states = new int[ruleCount];
        criteria = new FlowCriteria(ruleCount);
        families = new AddressFamily[ruleCount];
        int r = 0;
        for (int s = 0; s < sets.size(); s++) {
            ruleStart[s] = r;
            defaultAccepts[s] = sets.get(s).defaultAccept();
            for (FirewallRule rule : sets.get(s).rules()) {
                accepts[r] = rule.accept();
                states[r] = stateMask(rule);
                criteria.set(r, rule.protocol(), rule.sourceAddress(), rule.destinationAddress(), rule.sourcePort(),
                        rule.destinationPort());
                families[r] = rule.addressFamily();
                r++;
            }
        }
        ruleStart[sets.size()] = r;
        int interfaces = config.interfaces().size();
        inbound = new int[interfaces];
        outbound = new int[interfaces];
        java.util.Arrays.fill(inbound, NONE);
        java.util.Arrays.fill(outbound, NONE);
        for (FirewallAttachment attachment : config.firewallAttachments()) {
            int itf = config.interfaceIndex(attachment.interfaceName());
            Integer set = indexByName.get(attachment.ruleSet());
            if (itf < 0 || set == null) {
                continue;
            }
            int[] direction = attachment.inbound() ? inbound : outbound;
            if (direction[itf] == NONE) {
                direction[itf] = set;
            }
        }
    }

    /** The states a rule names; 0 when it names none (and so matches every state but RELATED, see above). */
    private static int stateMask(FirewallRule rule) {
        int mask = 0;
        for (FirewallRule.ConnectionState state : rule.states()) {
            mask |= switch (state) {
                case NEW -> STATE_NEW;
                case ESTABLISHED -> STATE_ESTABLISHED;
                case RELATED -> STATE_RELATED;
            };
        }
        return mask;
    }

    public static FirewallPolicy compile(EngineConfig config) {
        return new FirewallPolicy(config);
    }

    /** The rule set filtering packets that enter through {@code itf}, or {@link #NONE}. */
    public int inboundRuleSet(int itf) {
        return itf >= 0 && itf < inbound.length ? inbound[itf] : NONE;
    }

    /** The rule set filtering packets that leave through {@code itf}, or {@link #NONE}. */
    public int outboundRuleSet(int itf) {
        return itf >= 0 && itf < outbound.length ? outbound[itf] : NONE;
    }

    /**
     * Whether rule set {@code ruleSet} lets a packet in {@code state} ({@link #STATE_NEW}, {@link #STATE_RELATED})
     * through; {@link #NONE} lets everything through. {@code hasPorts}: whether the protocol carries ports.
     */
    public boolean isAccepted(int ruleSet, int state, int protocol, int sourceAddress, int sourcePort,
            int destinationAddress, int destinationPort, boolean hasPorts) {
        if (ruleSet == NONE) {
            return true;
        }
        boolean related = state == STATE_RELATED;
        for (int r = ruleStart[ruleSet]; r < ruleStart[ruleSet + 1]; r++) {
            if (families[r].coversIpv4() && matchesState(r, state) && criteria.matches(r, protocol, sourceAddress,
                    sourcePort, destinationAddress, destinationPort, hasPorts)) {
                return accepts[r];
            }
        }
        return related || defaultAccepts[ruleSet];
    }

    /** {@link #isAccepted} for an IPv6 packet; rules with IPv4 addresses never match it. */
    public boolean isAccepted6(int ruleSet, int state, int protocol, long sourceHigh, long sourceLow, int sourcePort,
            long destinationHigh, long destinationLow, int destinationPort, boolean hasPorts) {
        if (ruleSet == NONE) {
            return true;
        }
        boolean related = state == STATE_RELATED;
        for (int r = ruleStart[ruleSet]; r < ruleStart[ruleSet + 1]; r++) {
            if (families[r].coversIpv6() && matchesState(r, state) && criteria.matches6(r, protocol, sourceHigh,
                    sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort, hasPorts)) {
                return accepts[r];
            }
        }
        return related || defaultAccepts[ruleSet];
    }

    /** Whether rule {@code r} applies in {@code state} (a rule naming no state applies to every one but RELATED). */
    private boolean matchesState(int r, int state) {
        int ruleStates = state == STATE_RELATED || states[r] != 0 ? states[r] : ALL_STATES;
        return (ruleStates & state) != 0;
    }
}
