package dev.algd.engine.config;

/**
 * The address family a NAT or firewall rule applies to, from the address ranges it names: a rule that names none
 * applies to both (masquerade then uses the outbound interface's first address of the packet's family).
 */
public enum AddressFamily {
    ANY,
    IPV4,
    IPV6,
    /** Ranges of both families in one rule: refused by {@link EngineConfigValidator}. */
    MIXED;

    /** The family of the non-null {@code ranges} (management path only). */
    public static AddressFamily of(AddressRange... ranges) {
        AddressFamily family = ANY;
        for (AddressRange range : ranges) {
            if (range == null) {
                continue;
            }
            AddressFamily own = range.isIpv6() ? IPV6 : IPV4;
            if (family == ANY) {
                family = own;
            } else if (family != own) {
                return MIXED;
            }
        }
        return family;
    }

    /** Whether a rule of this family applies to IPv4 packets. */
    public boolean coversIpv4() {
        return this == ANY || this == IPV4;
    }

    /** Whether a rule of this family applies to IPv6 packets. */
    public boolean coversIpv6() {
        return this == ANY || this == IPV6;
    }
}
