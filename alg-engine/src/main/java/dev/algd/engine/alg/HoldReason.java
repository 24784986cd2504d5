package dev.algd.engine.alg;

/** The answer of {@link AlgPacket#holdFrom}: whether the unfinished line at the end of the payload is held back. */
public enum HoldReason {
    /** The bytes are held and removed from this segment; the ALG sees them again in front of the next one. */
    OK,
    /** Only TCP streams are reassembled; a datagram's payload passes as it is. */
    NOT_TCP,
    /** The offset is outside the payload or before a span this packet already replaced: nothing held. */
    OUT_OF_BOUNDS,
    /** This packet already held a tail: nothing more held. */
    ALREADY_HELD,
    /** The segment carries FIN or RST: nothing follows to complete the line, so it passes unparsed. */
    STREAM_ENDS,
    /** The tail is longer than {@link LineReassembly#MAX_HELD_BYTES}: it passes unparsed. */
    OVER_BOUND,
    /** Every hold buffer of the engine is in use ({@link LineReassembly#MAX_HELD_LINES}): it passes unparsed. */
    NO_BUFFER,
    /**
     * The sender resent exactly the bytes held before instead of what follows them, as a sender that waits for
     * their acknowledgement does (Nagle, RFC 896): holding them again would stall the stream, so they pass unparsed.
     */
    RESENT
}
