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
    TCP_SEQUENCE_ADJUSTED,
    /** An ALG held back the unfinished line at the end of a TCP segment ({@link AlgPacket#holdFrom}). */
    LINE_HELD,
    /** Held bytes were put in front of the next segment of their direction, so the ALG saw the line whole. */
    HELD_LINE_PREPENDED,
    /** The sender resent the held bytes itself (a retransmission from before them): the held copy was dropped. */
    HELD_LINE_RESENT,
    /** The receiver acknowledged past the held bytes (another segment carried them): the held copy was dropped. */
    HELD_LINE_ACKNOWLEDGED,
    /**
     * The next segment could not grow by the held bytes: it was dropped with the held copy (the sender still has the
     * bytes: they were never acknowledged), and the line passes unparsed when it is resent.
     */
    HELD_LINE_NO_ROOM,
    /** A segment beyond the held bytes (a gap: reordered, or lost before algd) was dropped; the sender resends it. */
    SEGMENT_AFTER_GAP,
    /** A RST or the end of the session dropped held bytes. */
    HELD_LINE_DISCARDED,
    /** A hold was refused ({@link HoldReason} other than OK and OUT_OF_BOUNDS): the bytes passed unparsed. */
    LINE_PASSED_UNPARSED
}
