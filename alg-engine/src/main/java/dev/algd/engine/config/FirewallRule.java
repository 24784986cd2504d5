package dev.algd.engine.config;

import java.util.Set;

/**
 * One firewall rule. Null matches mean "any"; an empty {@code states} set matches every state.
 *
 * @param states connection states the rule applies to: NEW (first packet of a session), ESTABLISHED, RELATED
 *     (ICMP errors about a session, and ALG child flows)
 */
public record FirewallRule(
        long id,
        boolean accept,
        int protocol,
        AddressRange sourceAddress,
        PortRange sourcePort,
        AddressRange destinationAddress,
        PortRange destinationPort,
        Set<ConnectionState> states) {

    public FirewallRule {
        states = Set.copyOf(states);
    }

    public enum ConnectionState { NEW, ESTABLISHED, RELATED }

    /** The family of the addresses this rule names ({@link AddressFamily#MIXED} is refused by the validator). */
    public AddressFamily addressFamily() {
        return AddressFamily.of(sourceAddress, destinationAddress);
    }
}
