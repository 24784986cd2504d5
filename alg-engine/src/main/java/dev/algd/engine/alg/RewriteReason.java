package dev.algd.engine.alg;

/** The answer of {@link PayloadRewriter#replace}. */
public enum RewriteReason {
    /** The span was replaced; lengths, checksums and sequence numbers will be made consistent. */
    OK,
    /** The packet would grow past its buffer ({@code Packet.capacity}) or past 65535 bytes: nothing changed. */
    NO_ROOM,
    /** The span is not inside the payload: nothing changed. */
    OUT_OF_BOUNDS
}
