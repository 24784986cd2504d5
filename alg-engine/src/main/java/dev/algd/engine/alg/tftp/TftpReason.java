package dev.algd.engine.alg.tftp;

/**
 * The answer of {@link TftpRequestParser#parse}, and the index of {@link TftpAlg}'s counters: add values at the end.
 */
public enum TftpReason {
    /** An RRQ or WRQ with a filename, a mode and complete option pairs. */
    OK,
    /** A valid TFTP message that is not a request: DATA (3), ACK (4), ERROR (5) or OACK (6). */
    NOT_A_REQUEST,
    /** Fewer bytes than an opcode: the datagram cannot be TFTP. */
    TOO_SHORT,
    /** An opcode outside 1..6 (RFC 1350 §5, RFC 2347). */
    UNKNOWN_OPCODE,
    /** The filename has no terminating NUL. */
    FILENAME_UNTERMINATED,
    /** The filename is empty. */
    EMPTY_FILENAME,
    /** The mode has no terminating NUL. */
    MODE_UNTERMINATED,
    /** The mode is empty. */
    EMPTY_MODE,
    /** An option name or value after the mode has no terminating NUL. */
    OPTION_UNTERMINATED,
    /** An option name is not followed by a value (RFC 2347: options come in pairs). */
    OPTION_VALUE_MISSING,
    /** The request is longer than RFC 2347's 512 octets. */
    REQUEST_TOO_LONG;

    /** Whether the datagram was a malformed request or no TFTP at all: counted as the TFTP ALG's parse errors. */
    public boolean isMalformed() {
        return this != OK && this != NOT_A_REQUEST;
    }
}
