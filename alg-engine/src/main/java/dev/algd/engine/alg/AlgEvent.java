package dev.algd.engine.alg;

/**
 * Outcomes of the ALG framework, counted rather than logged (as vyatta's {@code alg_rc.h}); the ordinal indexes the
 * counters of {@link AlgCounters}, so add values at the end.
 */
public enum AlgEvent {
    /** A control session was assigned an ALG. */
    SESSION_ASSIGNED,
    /** A session the registry assigned had no room for per-session ALG state, so it runs without its ALG. */
    ALG_SESSION_TABLE_FULL,
    /** A packet was handed to {@link Alg#inspect}. */
    PACKET_INSPECTED,
    /** {@link Alg#inspect} answered DROP. */
    PACKET_DROPPED,
    /** A new expectation was stored. */
    EXPECTATION_CREATED,
    /** An expectation identical in tuple and parent was stored again: its mapping and timeout were refreshed. */
    EXPECTATION_REFRESHED,
    /** The oldest expectation of a parent was evicted because the parent reached its ALG's limit. */
    EXPECTATION_EVICTED,
    /** The expectation table was full: the expectation was not stored. */
    EXPECTATION_TABLE_FULL,
    /** Another parent already expects the same tuple: the expectation was not stored. */
    EXPECTATION_CLASH,
    /** A new flow matched an expectation and became a child session. */
    EXPECTATION_MATCHED,
    /** An expectation timed out unmatched. */
    EXPECTATION_EXPIRED,
    /** An expectation was removed because its parent session ended. */
    EXPECTATION_REMOVED_WITH_PARENT,
    /** A payload span was replaced. */
    PAYLOAD_REWRITTEN,
    /** A replacement would not fit in the packet's buffer (see {@code Packet.capacity}) or above 65535 bytes. */
    PAYLOAD_REWRITE_NO_ROOM,
    /** A replacement asked for a span outside the payload. */
    PAYLOAD_REWRITE_OUT_OF_BOUNDS,
    /** A TCP segment's sequence or acknowledgement number was shifted by an earlier length change. */
    TCP_SEQUENCE_ADJUSTED
}
