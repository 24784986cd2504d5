package dev.algd.engine.alg;

/** The answer to {@link AlgPacket#expect}: whether the expectation is stored, and if not why. */
public enum ExpectationReason {
    /** Stored as a new expectation (the parent's oldest may have been evicted to make room). */
    CREATED,
    /** The same tuple was already expected by the same parent: translation and timeout refreshed. */
    REFRESHED,
    /** The table holds its maximum: not stored. */
    TABLE_FULL,
    /** Another parent already expects the same tuple: not stored. */
    CLASH,
    /** Protocol other than TCP or UDP, or a port outside 0..65535: not stored. */
    INVALID
}
