package dev.algd.io;

/** The outcome of {@link Ndp#parse}: {@link #OK} or why the packet is no neighbour solicitation or advertisement. */
public enum NdpReason {
    OK,
    /** Shorter than the IPv6 header, its payload or the 24-byte message. */
    TRUNCATED,
    /** Not ICMPv6 directly after the IPv6 header, or another ICMPv6 type. */
    NOT_NEIGHBOUR_DISCOVERY,
    /** RFC 4861 §7.1: hop limit not 255 (the packet crossed a router), code not 0, or a bad option length. */
    INVALID,
    /** The ICMPv6 checksum does not verify. */
    BAD_CHECKSUM
}
