package dev.algd.engine.alg;

import java.util.Objects;

/**
 * Per-session ALG state for the sessions an ALG was assigned to, in a fixed number of slots allocated at start:
 * the ALG, the session it belongs to, (used by {@link PayloadRewriter}) each direction's TCP sequence delta, and
 * {@link #STATE_WORDS} words the ALG itself keeps for the session.
 * Kept apart from the session table because only control sessions need it: a 2^20-session table carries a few
 * thousand of these, not a million. A session holds the index of its slot; the slot and the expectations whose
 * parent it is are released together when the session ends.
 * <p>
 * Sequence deltas follow netfilter's {@code nf_conntrack_seqadj.c}: per direction one correction position (the
 * original sequence number of the last segment whose length changed) and the total offset before and after it.
 */
public final class AlgSessionTable {
    public static final int NONE = -1;
    /** Words of state each slot keeps for its ALG ({@link AlgPacket#state}), zero when the slot is allocated. */
    public static final int STATE_WORDS = 2;

    private final int capacity;
    private final boolean[] inUse;
    private final int[] sessionSlots;
    private final long[] sessionIds;
    private final byte[] algIds;
    /** Per slot and direction. */
    private final boolean[] hasDelta;
    private final int[] correctionPositions;
    private final int[] offsetsBefore;
    private final int[] offsetsAfter;
    private final long[] stateWords;
    /** The session's source NAT rule's translation port range as {@code first << 16 | last}, or 0 (no range). */
    private final int[] natPortRanges;
    private final int[] freeSlots;
    private int freeCount;

    public AlgSessionTable(int capacity) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("ALG session capacity " + capacity + " is outside 1.." + (1 << 24));
        }
        this.capacity = capacity;
        inUse = new boolean[capacity];
        sessionSlots = new int[capacity];
        sessionIds = new long[capacity];
        algIds = new byte[capacity];
        hasDelta = new boolean[capacity * 2];
        correctionPositions = new int[capacity * 2];
        offsetsBefore = new int[capacity * 2];
        offsetsAfter = new int[capacity * 2];
        stateWords = new long[capacity * STATE_WORDS];
        natPortRanges = new int[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return capacity - freeCount;
    }

    /**
     * A fresh slot for session {@code sessionId} in session slot {@code sessionSlot}, or {@link #NONE} when full;
     * {@code natPortRange} is the translation port range of the source NAT rule that translated the session,
     * {@code first << 16 | last}, or 0 when the rule names none (or none translated it).
     */
    public int allocate(int sessionSlot, long sessionId, int algId, int natPortRange) {
        if (freeCount == 0) {
            return NONE;
        }
        int slot = freeSlots[--freeCount];
        inUse[slot] = true;
        sessionSlots[slot] = sessionSlot;
        sessionIds[slot] = sessionId;
        algIds[slot] = (byte) algId;
        natPortRanges[slot] = natPortRange;
        for (int d = 0; d < 2; d++) {
            hasDelta[slot * 2 + d] = false;
            correctionPositions[slot * 2 + d] = 0;
            offsetsBefore[slot * 2 + d] = 0;
            offsetsAfter[slot * 2 + d] = 0;
        }
        for (int w = 0; w < STATE_WORDS; w++) {
            stateWords[slot * STATE_WORDS + w] = 0;
        }
        return slot;
    }

    public void release(int slot) {
        if (inUse[slot]) {
            inUse[slot] = false;
            freeSlots[freeCount++] = slot;
        }
    }

    public int algId(int slot) {
        return algIds[slot];
    }

    /** What {@link #allocate} was given as the session's source NAT port range: {@code first << 16 | last}, or 0. */
    public int natPortRange(int slot) {
        return natPortRanges[slot];
    }

    public long sessionId(int slot) {
        return sessionIds[slot];
    }

    public int sessionSlot(int slot) {
        return sessionSlots[slot];
    }

    /** Word {@code word} (0 .. {@link #STATE_WORDS} - 1) of the ALG's own state for the session in {@code slot}. */
    public long state(int slot, int word) {
        return stateWords[slot * STATE_WORDS + Objects.checkIndex(word, STATE_WORDS)];
    }

    public void state(int slot, int word, long value) {
        stateWords[slot * STATE_WORDS + Objects.checkIndex(word, STATE_WORDS)] = value;
    }

    /** Whether the payload length of {@code direction} has changed at some point. */
    public boolean hasDelta(int slot, int direction) {
        return hasDelta[slot * 2 + direction];
    }

    /**
     * Records that the segment of {@code direction} with original sequence number {@code sequence} changed length
     * by {@code change} bytes (netfilter's {@code nf_ct_seqadj_set}). A segment at or before the current correction
     * position is a retransmission of one already accounted: nothing changes, so that it is shifted as before.
     * Returns whether the delta changed.
     */
    public boolean recordLengthChange(int slot, int direction, int sequence, int change) {
        int i = slot * 2 + direction;
        if (change == 0) {
            return false;
        }
        if (hasDelta[i] && sequence - correctionPositions[i] <= 0) {
            return false;
        }
        hasDelta[i] = true;
        correctionPositions[i] = sequence;
        offsetsBefore[i] = offsetsAfter[i];
        offsetsAfter[i] += change;
        return true;
    }

    /** The shift of a segment of {@code direction} whose original sequence number is {@code sequence}. */
    public int sequenceOffset(int slot, int direction, int sequence) {
        int i = slot * 2 + direction;
        return sequence - correctionPositions[i] > 0 ? offsetsAfter[i] : offsetsBefore[i];
    }

    /**
     * The amount to subtract from an acknowledgement number (or SACK edge) that a packet of the other direction
     * carries for the data of {@code direction}, whose sender saw the shifted sequence numbers.
     */
    public int acknowledgementOffset(int slot, int direction, int acknowledgement) {
        int i = slot * 2 + direction;
        return acknowledgement - offsetsBefore[i] - correctionPositions[i] > 0 ? offsetsAfter[i] : offsetsBefore[i];
    }
}
