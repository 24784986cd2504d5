package dev.algd.engine.alg.ftp;

/**
 * The answer of {@link FtpCommandParser#parse} for one line, and the index of {@link FtpAlg}'s parse counters: add
 * values at the end.
 */
public enum FtpReason {
    /** A PORT, EPRT, 227 or 229 line with a well-formed address and port. */
    OK,
    /** The line has no LF yet and could still be one the ALG translates. */
    INCOMPLETE,
    /** A complete line that carries no address: any other command or reply, and a 227 without digits. */
    NOT_TRANSLATED,
    /** A PORT, EPRT, 227 or 229 line longer than {@link FtpCommandParser#MAX_LINE_BYTES}. */
    LINE_TOO_LONG,
    /** A number of the address or port is missing, or not followed by its separator. */
    NUMBER_MISSING,
    /** A number has more digits than its field allows (3 for an octet, 5 for a port). */
    NUMBER_TOO_LONG,
    /** An address octet or PORT/227 port byte above 255. */
    OCTET_OVER_255,
    /** The port is 0: nothing can connect to it. */
    PORT_ZERO,
    /** An EPRT or 229 port above 65535. */
    PORT_OVER_65535,
    /** The EPRT/229 delimiter is outside ASCII 33..126 (RFC 2428 §2), or the three 229 delimiters differ. */
    BAD_DELIMITER,
    /** The EPRT network protocol is neither 1 (IPv4) nor 2 (IPv6) (RFC 2428 §2). */
    EPRT_UNKNOWN_FAMILY,
    /** The EPRT address is not a dotted quad (family 1) or IPv6 text (family 2, RFC 4291 §2.2). */
    EPRT_BAD_ADDRESS,
    /** A 229 reply without the parenthesised {@code (<d><d><d><port><d>)} of RFC 2428 §3. */
    EPSV_MALFORMED;

    /** Whether the line was a malformed PORT, EPRT, 227 or 229: counted as the FTP ALG's parse errors. */
    public boolean isMalformed() {
        return this != OK && this != INCOMPLETE && this != NOT_TRANSLATED;
    }
}
