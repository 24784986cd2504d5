package dev.algd.engine.config;

import java.util.Comparator;
import java.util.List;

/**
 * A named, minimal stateful rule set: rules in ascending id, first match wins, {@code defaultAccept} decides
 * when none matches. Established and related packets of a session the firewall accepted are not re-evaluated.
 */
public record FirewallRuleSet(String name, boolean defaultAccept, List<FirewallRule> rules) {
    public FirewallRuleSet {
        rules = rules.stream().sorted(Comparator.comparingLong(FirewallRule::id)).toList();
    }
}
