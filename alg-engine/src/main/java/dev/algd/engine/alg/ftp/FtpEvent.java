package dev.algd.engine.alg.ftp;

/** What {@link FtpAlg} decided about a parsed line, counted per engine worker: add values at the end. */
public enum FtpEvent {
    /** The address or port text was replaced. */
    REWRITTEN,
    /** A data connection was expected (created or refreshed). */
    DATA_CONNECTION_EXPECTED,
    /** A PORT/EPRT named an address other than the client's own (FTP bounce, RFC 2577 §3): the packet was dropped. */
    BOUNCE_REFUSED,
    /** A 227 named an address other than the server's: passed untouched, nothing expected. */
    ADDRESS_NOT_THE_SERVERS,
    /**
     * A PORT, EPRT or 227 named an address of the other family than the control connection's, so not the client's
     * or server's own: a PORT/EPRT is then refused as a bounce, a 227 passes untouched (no NAT64 here).
     */
    OTHER_ADDRESS_FAMILY,
    /** The expectation could not be stored (table full, clash on every port tried): the line passed untouched. */
    EXPECTATION_NOT_STORED,
    /** The rewriter refused the replacement (no room in the buffer): the line passed untouched. */
    REWRITE_FAILED,
    /** A command or reply arrived in the direction it never travels (a 227 from the client): ignored. */
    WRONG_DIRECTION
}
