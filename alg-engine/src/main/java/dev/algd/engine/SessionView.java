package dev.algd.engine;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.config.Ipv6Address;
import java.util.Set;

/**
 * A snapshot of one session for management (the YANG {@code session-table} entry, the guide's
 * {@code show session-table} row). Addresses are host-order; for ICMP echo the source port is the identifier
 * and the destination port 0.
 *
 * @param id the guide's CONN ID
 * @param translatedAddress the source address after SNAT (equal to {@code sourceAddress} when untranslated)
 * @param translatedPort the source port or echo identifier after SNAT
 * @param state TCP: SS SR ES FW CW LA TW CL LI; otherwise NEW ES CL
 * @param timeoutSeconds seconds left until the session expires if idle
 * @param interfaceName the interface the session was created on (ingress of its first packet)
 * @param parentId 0: a control flow or a plain session
 * @param alg null when no ALG
 * @param features any of "snat", "dnat", "firewall", "alg"
 * @param translatedDestinationAddress the destination address after DNAT (equal to {@code destinationAddress} when
 *     untranslated); added after the first release, so it comes last
 * @param translatedDestinationPort the destination port after DNAT
 * @param ipv6 an IPv6 session's four addresses (its IPv4 address fields are then 0), null for IPv4; added after
 *     the first release, so it comes last. The {@code ...Text} methods give either family's addresses as text.
 */
public record SessionView(long id, int protocol, int sourceAddress, int sourcePort,
        int destinationAddress, int destinationPort, int translatedAddress, int translatedPort,
        String state,
        long timeoutSeconds,
        String interfaceName,
        long parentId,
        AlgId alg,
        Set<String> features,
        long packetsOriginal, long bytesOriginal, long packetsReply, long bytesReply,
        int translatedDestinationAddress, int translatedDestinationPort,
        Ipv6Tuple ipv6) {

    public SessionView {
        features = Set.copyOf(features);
    }

    /** The addresses of an IPv6 session, in the order of the IPv4 fields they stand for. */
    public record Ipv6Tuple(Ipv6Address source, Ipv6Address destination, Ipv6Address translatedSource,
            Ipv6Address translatedDestination) {
    }

    /** An IPv4 session's view (the record's shape before IPv6). */
    public SessionView(long id, int protocol, int sourceAddress, int sourcePort,
            int destinationAddress, int destinationPort, int translatedAddress, int translatedPort,
            String state, long timeoutSeconds, String interfaceName, long parentId, AlgId alg, Set<String> features,
            long packetsOriginal, long bytesOriginal, long packetsReply, long bytesReply,
            int translatedDestinationAddress, int translatedDestinationPort) {
        this(id, protocol, sourceAddress, sourcePort, destinationAddress, destinationPort, translatedAddress,
                translatedPort, state, timeoutSeconds, interfaceName, parentId, alg, features, packetsOriginal,
                bytesOriginal, packetsReply, bytesReply, translatedDestinationAddress, translatedDestinationPort, null);
    }

    public boolean isIpv6() {
        return ipv6 != null;
    }

    public String sourceAddressText() {
        return ipv6 != null ? ipv6.source().toString() : Ipv4Addresses.format(sourceAddress);
    }

    public String destinationAddressText() {
        return ipv6 != null ? ipv6.destination().toString() : Ipv4Addresses.format(destinationAddress);
    }

    public String translatedAddressText() {
        return ipv6 != null ? ipv6.translatedSource().toString() : Ipv4Addresses.format(translatedAddress);
    }

    public String translatedDestinationAddressText() {
        return ipv6 != null ? ipv6.translatedDestination().toString()
                : Ipv4Addresses.format(translatedDestinationAddress);
    }

    /** The view of a session whose destination is untranslated (the record's shape before DNAT existed). */
    public SessionView(long id, int protocol, int sourceAddress, int sourcePort,
            int destinationAddress, int destinationPort, int translatedAddress, int translatedPort,
            String state, long timeoutSeconds, String interfaceName, long parentId, AlgId alg, Set<String> features,
            long packetsOriginal, long bytesOriginal, long packetsReply, long bytesReply) {
        this(id, protocol, sourceAddress, sourcePort, destinationAddress, destinationPort, translatedAddress,
                translatedPort, state, timeoutSeconds, interfaceName, parentId, alg, features, packetsOriginal,
                bytesOriginal, packetsReply, bytesReply, destinationAddress, destinationPort);
    }
}
