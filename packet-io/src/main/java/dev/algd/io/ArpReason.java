package dev.algd.io;

/** What {@link Arp#parse} found; everything but {@link #OK} leaves the message unusable and is counted. */
public enum ArpReason {
    OK,
    /** Fewer than 28 bytes: the fixed Ethernet/IPv4 ARP packet (RFC 826) does not fit. */
    TRUNCATED,
    /** ar$hrd is not Ethernet (1); algd only speaks ARP on Ethernet. */
    NOT_ETHERNET,
    /** ar$pro is not IPv4 (0x0800). */
    NOT_IPV4,
    /** ar$hln is not 6 or ar$pln is not 4 although hardware and protocol say Ethernet and IPv4. */
    BAD_ADDRESS_LENGTH,
    /** ar$op is neither request (1) nor reply (2); RARP and InARP (RFC 903, RFC 2390) are not served. */
    UNKNOWN_OPERATION
}
