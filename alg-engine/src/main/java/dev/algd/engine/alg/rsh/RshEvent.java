package dev.algd.engine.alg.rsh;

/** What {@link RshAlg} decided about a control session's first string, counted per engine worker: add at the end. */
public enum RshEvent {
    /** The stderr port text was replaced by the port the server must connect to. */
    REWRITTEN,
    /** The server's stderr connection was expected (created or refreshed). */
    STDERR_EXPECTED,
    /** The server's IDENT query (tcp/113) was expected (created or refreshed). */
    IDENT_EXPECTED,
    /** The stderr expectation could not be stored (table full, clash on every port tried): passed untouched. */
    STDERR_NOT_EXPECTED,
    /** The IDENT expectation could not be stored (another session's server expects the same address). */
    IDENT_NOT_EXPECTED,
    /** The rewriter refused the replacement (no room in the buffer): the string passed untouched. */
    REWRITE_FAILED,
    /** A malformed first string: the packet was dropped. */
    DROPPED,
    /** An unfinished first string could not be held for the next segment: it passed unparsed. */
    NOT_HELD,
    /** A resent first string whose port was moved was rewritten again. */
    RESENT_STRING_REWRITTEN,
    /** An IDENT query or reply on a control session's IDENT child had its ports translated. */
    IDENT_TRANSLATED,
    /** An IDENT child whose control session had ended: its lines passed untouched. */
    IDENT_PARENT_GONE
}
