package dev.algd.engine.config;

/** A rule set applied to packets entering ({@code inbound}) or leaving an interface. */
public record FirewallAttachment(String interfaceName, boolean inbound, String ruleSet) {
}
