package dev.algd.engine.config;

import java.util.List;

/**
 * An interface algd forwards on.
 *
 * @param name the configured name (the key used by NAT rules and shown in the session table)
 * @param device the Linux network device bound by packet I/O
 * @param addresses addresses algd owns on this interface (answers ARP for, uses as masquerade address)
 */
public record InterfaceConfig(String name, String device, List<Ipv4Prefix> addresses) {
    public InterfaceConfig {
        addresses = List.copyOf(addresses);
    }
}
