package dev.algd.engine;

import dev.algd.engine.alg.AlgAddress;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv6Address;

/**
 * Which sessions {@link Engine#clearSessions} removes; a null criterion matches any session, all given criteria
 * must match. An address or port matches on either side of the session, before or after translation. The address
 * is held as IPv6; an IPv4 address as {@code ::ffff:a.b.c.d}, which matches IPv4 sessions only (algd has no NAT64).
 */
public record SessionFilter(Long id, Integer protocol, Ipv6Address address, Integer port, AlgId alg) {

    public static final SessionFilter ALL = new SessionFilter(null, null, null, null, null);

    /** An address of either family in its text form, as a filter holds it; throws with the text when it is neither. */
    public static Ipv6Address address(String text) {
        return text.indexOf(':') >= 0 ? Ipv6Address.parse(text)
                : new Ipv6Address(AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(Ipv4Addresses.parse(text)));
    }

    public boolean matches(SessionView s) {
        return (id == null || id == s.id())
                && (protocol == null || protocol == s.protocol())
                && (address == null || hasAddress(s))
                && (port == null || port == s.sourcePort() || port == s.destinationPort()
                        || port == s.translatedPort() || port == s.translatedDestinationPort())
                && (alg == null || alg == s.alg());
    }

    private boolean hasAddress(SessionView s) {
        SessionView.Ipv6Tuple ipv6 = s.ipv6();
        if (ipv6 != null) {
            return address.equals(ipv6.source()) || address.equals(ipv6.destination())
                    || address.equals(ipv6.translatedSource()) || address.equals(ipv6.translatedDestination());
        }
        if (!AlgAddress.isIpv4(address.high(), address.low())) {
            return false;
        }
        int ipv4 = AlgAddress.ipv4(address.low());
        return ipv4 == s.sourceAddress() || ipv4 == s.destinationAddress() || ipv4 == s.translatedAddress()
                || ipv4 == s.translatedDestinationAddress();
    }
}
