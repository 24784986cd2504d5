package dev.algd.engine;

/**
 * Why {@link Engine#process} returned {@link Verdict#DROP}. The ordinal doubles as the index of the drop counter
 * (see {@link EngineCounters#drops(DropReason)}), so add values at the end.
 */
public enum DropReason {
    /** Fewer bytes than an IPv4 header, or than the header length the packet announces. */
    TRUNCATED,
    /** The version field is neither 4 nor 6. */
    NOT_IPV4,
    /** IHL below 5 (RFC 791). */
    BAD_HEADER_LENGTH,
    /** Total length below the header length or above the bytes received. */
    BAD_TOTAL_LENGTH,
    /** RFC 1812 §5.2.2: the IPv4 header checksum does not verify. */
    BAD_HEADER_CHECKSUM,
    /** Any fragment (MF set or offset non-zero): reassembly is not supported yet. */
    FRAGMENT,
    /** {@link Packet#ingressInterface} is not an index of the current config's interfaces. */
    UNKNOWN_INGRESS_INTERFACE,
    /** Neither TCP, UDP, ICMP (over IPv6: ICMPv6) nor GRE. */
    UNSUPPORTED_PROTOCOL,
    /** The TCP, UDP, ICMP or GRE header does not fit in the packet, or the TCP data offset is out of bounds. */
    TRUNCATED_L4_HEADER,
    /**
     * ICMP other than echo request and reply and the errors algd translates (destination unreachable, time exceeded,
     * parameter problem): redirects, timestamps, router discovery and the rest.
     */
    UNSUPPORTED_ICMP_TYPE,
    /** An echo reply that belongs to no session. */
    UNSOLICITED_ECHO_REPLY,
    /** To one of algd's own addresses and not an echo request: algd has no local stack on the data path. */
    LOCAL_DESTINATION,
    /** To a NAT translation address with no session that expects it. */
    NO_SESSION_FOR_TRANSLATION_ADDRESS,
    /** TTL 1 or 0 on a packet to forward (the ICMP time-exceeded message comes later). */
    TTL_EXCEEDED,
    /** No route to the destination. */
    NO_ROUTE,
    /** A masquerade rule whose outbound interface has no address (the validator rejects such configs). */
    NO_TRANSLATION_ADDRESS,
    /** No free translated port in the rule's range towards this destination. */
    NO_FREE_PORT,
    /** The new session's original or reply key already belongs to another session. */
    SESSION_KEY_IN_USE,
    /** Every session slot is taken by a live session. */
    SESSION_TABLE_FULL,
    /** The first packet of a new flow was refused by the rule set attached to its ingress interface (inbound). */
    FIREWALL_INBOUND,
    /** The first packet of a new flow was refused by the rule set attached to its egress interface (outbound). */
    FIREWALL_OUTBOUND,
    /** The session's ALG refused the packet (a malformed control message it must not pass on). */
    ALG,
    /** An ICMP error whose embedded packet belongs to no session (RFC 5508 §4.2: only errors of a session pass). */
    ICMP_ERROR_NO_SESSION,
    /** An ICMP error too short for the embedded IPv4 header and the first 8 bytes of its payload (RFC 792). */
    ICMP_ERROR_TRUNCATED,
    /**
     * An ICMP error whose embedded packet is not IPv4 TCP, UDP, ICMP echo or GRE, or is a non-first fragment: there is
     * no session key to find (an error about an ICMP error is never sent, RFC 1122 §3.2.2).
     */
    ICMP_ERROR_UNSUPPORTED_EMBEDDED,
    /**
     * Longer than the egress interface's MTU with DF set, and the ICMP fragmentation-needed error could not be sent
     * (no address on the ingress interface, or a source that is no host).
     */
    FRAGMENTATION_NEEDED,
    /** Longer than the egress interface's MTU without DF: it would need fragmenting, which algd does not do. */
    EXCEEDS_MTU,
    /**
     * An IPv6 extension header chain longer than {@link dev.algd.engine.packet.Ipv6Header#MAX_EXTENSION_HEADERS},
     * or a hop-by-hop header anywhere but first (RFC 8200 §4.1).
     */
    IPV6_BAD_EXTENSION_HEADERS,
    /** An IPv6 routing header with segments left: its checksums cover another destination (RFC 8200 §8.1). */
    IPV6_ROUTING_HEADER,
    /**
     * An IPv6 packet a router must not forward: a link-local, loopback or unspecified address, or a multicast
     * destination (RFC 4291 §2.5.6, §2.7; algd does not route multicast).
     */
    IPV6_NOT_FORWARDABLE,
    /** UDP over IPv6 with checksum 0, which RFC 8200 §8.1 forbids (receivers discard it). */
    IPV6_UDP_ZERO_CHECKSUM,
    /** The new flow's source already holds as many sessions as the per-source limit allows. */
    SOURCE_SESSION_LIMIT,
    /** GRE of a version other than 0 (RFC 2784) and 1 (PPTP, RFC 2637 §4.1). */
    GRE_UNSUPPORTED_VERSION,
    /** GRE with the routing-present bit of RFC 1701, deprecated by RFC 2784 and refused by Linux too. */
    GRE_ROUTING_PRESENT,
    /** PPTP GRE (version 1) whose flags or protocol type break RFC 2637 §4.1 (no key, a checksum, not PPP). */
    GRE_BAD_PPTP_HEADER,
    /**
     * A new GRE flow whose replies could not be told from a live session's: version 0 GRE from a second inside host
     * to the same remote through the same translation address (GRE has no port that SNAT could make unique, so one
     * inside host per translation address and remote), or a second PPTP call between the same two hosts before the
     * first call's peer answered (its call id is learnt from that answer).
     */
    GRE_REPLY_KEY_IN_USE
}
