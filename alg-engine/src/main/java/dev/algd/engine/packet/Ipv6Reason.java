package dev.algd.engine.packet;

/** The outcome of {@link Ipv6Header#validate(long)}: {@link #OK} or what is wrong with the packet's headers. */
public enum Ipv6Reason {
    OK,
    /** Fewer than 40 bytes, or an extension header that runs past the payload. */
    TRUNCATED,
    /** The version field is not 6. */
    NOT_VERSION_6,
    /**
     * The payload length is above the bytes received, or 0 (RFC 2675 jumbograms, which need a hop-by-hop option
     * and a link with an MTU above 65,575 bytes, neither of which algd has).
     */
    BAD_PAYLOAD_LENGTH,
    /** More than {@link Ipv6Header#MAX_EXTENSION_HEADERS} extension headers, or a hop-by-hop header not first. */
    BAD_EXTENSION_HEADER_CHAIN,
    /**
     * A fragment that is not atomic (RFC 6946): without reassembly only the first fragment has the ports, so
     * the others could never be matched to a session; all of them are refused, as IPv4 fragments are.
     */
    FRAGMENT,
    /**
     * A routing header with segments left: the final destination is not the one in the IPv6 header, and TCP, UDP
     * and ICMPv6 checksums cover the final one (RFC 8200 §8.1), so translation could not keep them right.
     */
    ROUTING_HEADER_SEGMENTS_LEFT
}
