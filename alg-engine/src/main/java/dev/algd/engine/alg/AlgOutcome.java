package dev.algd.engine.alg;

/** What {@link Alg#inspect} decided about one packet of a control session. */
public enum AlgOutcome {
    /** Forward the packet (rewritten or not). Also the answer for payloads the ALG does not care about. */
    PASS,
    /** Drop the packet; the engine counts it as {@code DropReason.ALG}. For malformed messages an ALG must refuse. */
    DROP
}
