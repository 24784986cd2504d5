package dev.algd.engine.config;

import java.util.List;

/**
 * An interface algd forwards on.
 *
 * @param name the configured name (the key used by NAT rules and shown in the session table)
 * @param device the Linux network device bound by packet I/O
 * @param addresses addresses algd owns on this interface (answers ARP for, uses as masquerade address)
 * @param ipv6Addresses IPv6 addresses algd owns on this interface (answers neighbour solicitations for, uses as
 *     NAT66 masquerade address); added after the first release, so it comes last
 */
public record InterfaceConfig(String name, String device, List<Ipv4Prefix> addresses,
        List<Ipv6Prefix> ipv6Addresses) {
    public InterfaceConfig {
        addresses = List.copyOf(addresses);
        ipv6Addresses = List.copyOf(ipv6Addresses);
    }

    /** An interface with IPv4 addresses only. */
    public InterfaceConfig(String name, String device, List<Ipv4Prefix> addresses) {
        this(name, device, addresses, List.of());
    }
}
