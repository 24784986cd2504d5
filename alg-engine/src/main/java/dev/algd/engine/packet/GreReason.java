package dev.algd.engine.packet;

/** The outcome of {@link GreHeader#validate(long)}: {@link #OK} or what is wrong with the GRE header. */
public enum GreReason {
    OK,
    /** Fewer bytes than the 4-byte base header, or than the optional fields its flags announce. */
    TRUNCATED,
    /**
     * Version 2..7: RFC 2784 §2.3.1 has receivers discard any version but 0, and RFC 2637 §4.1 defines only
     * version 1 (PPTP); nothing else is known to carry a session's flow.
     */
    UNSUPPORTED_VERSION,
    /**
     * The routing-present bit (RFC 1701, deprecated by RFC 2784 §2.1): the header length then depends on a source
     * route list that Linux's GRE receive path refuses as well.
     */
    ROUTING_PRESENT,
    /**
     * Version 1 whose flags break RFC 2637 §4.1: checksum, routing, strict source route or recursion set, the key
     * (payload length and call id) absent, or reserved flag bits set.
     */
    PPTP_BAD_FLAGS,
    /** Version 1 whose protocol type is not PPP (0x880B), the only payload RFC 2637 §4.1 allows. */
    PPTP_NOT_PPP
}
