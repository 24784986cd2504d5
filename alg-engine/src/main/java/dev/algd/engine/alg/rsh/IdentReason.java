package dev.algd.engine.alg.rsh;

/** The answer of {@link IdentParser#parse} for one IDENT line (RFC 1413): add values at the end. */
public enum IdentReason {
    /** A query or a reply with two ports 1..65535. */
    OK,
    /** No LF yet, and the line is shorter than {@link IdentParser#MAX_LINE_BYTES}. */
    INCOMPLETE,
    /** A line of {@link IdentParser#MAX_LINE_BYTES} bytes or more. */
    LINE_TOO_LONG,
    /** A port is missing (no digit where one must be). */
    NUMBER_MISSING,
    /** A port has more than five digits. */
    NUMBER_TOO_LONG,
    /** A port is 0 or above 65535 (RFC 1413: "a port ... 1-65535"). */
    PORT_OUT_OF_RANGE,
    /** The two ports are not separated by a comma. */
    COMMA_MISSING,
    /** After the second port neither the end of a query (CR LF) nor the colon of a reply. */
    BAD_TERMINATOR
}
