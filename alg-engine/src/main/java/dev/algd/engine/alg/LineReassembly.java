package dev.algd.engine.alg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Control-line reassembly: the bytes of a text line that a TCP segment ends in the middle of, held back per control
 * session and direction until the next segment of that direction, so that an ALG sees a line split across segments
 * whole (alg-behaviour.md §6: netfilter drops such a segment and hopes for a coalesced retransmission, Vyatta and
 * FreeBSD do not look; Netty's {@code ByteToMessageDecoder} teaches that accumulation belongs to the framework, not
 * to each parser).
 * <p>
 * How: an ALG that finds an unfinished line calls {@link AlgPacket#holdFrom} with the offset where it starts. The
 * framework copies the tail into a hold buffer and cuts it from the segment ({@link PayloadRewriter} fixes the
 * lengths and checksums). The cut is <em>not</em> a sequence delta: when the next segment arrives at the sequence
 * number right after the held bytes, the framework puts them in front of its payload and sets its sequence number
 * back to the first held byte, so the segment is exactly what the sender would have sent had it not split the
 * line; the ALG then sees the line whole and any rewrite of it is recorded as usual.
 * <p>
 * Why nothing is lost or reordered: the held bytes never reach the receiver before they are put in front of the
 * next segment, so the receiver cannot acknowledge them, and the sender keeps them for retransmission. So the
 * framework may drop the held copy whenever keeping it is not simple, and relies on the sender:
 * <ul>
 *   <li>a segment that starts at or before the held bytes and reaches into them (a retransmission) carries them
 *   itself: the copy is dropped and the segment inspected as it is;</li>
 *   <li>a segment that starts inside or right after them gets the missing prefix put in front;</li>
 *   <li>a segment beyond them (a gap: reordered, or lost before algd) is dropped and the copy waits: forwarded,
 *   it would reach the receiver at a position the line's rewrite may still move; the sender sends it again;</li>
 *   <li>an acknowledgement past them from the receiver (another segment carried them) drops the copy;</li>
 *   <li>a next segment that cannot grow by the held bytes (see {@code Packet.capacity}) is dropped with the copy,
 *   and a line at that sequence number is not held again: the sender retransmits from the held bytes, which then
 *   pass unparsed;</li>
 *   <li>a RST, and the end of the session, drop the copy; a FIN right after the held bytes gets them in front.</li>
 * </ul>
 * The bound: at most {@link #MAX_HELD_BYTES} per session and direction, from a pool of at most
 * {@link #MAX_HELD_LINES} buffers per engine allocated at start. A longer tail, or one when the pool is empty, is
 * not held: it passes unparsed and {@link AlgEvent#LINE_PASSED_UNPARSED} moves. A line held once and then resent
 * alone by the sender at the same sequence number is not held again: a sender that waits for the acknowledgement of
 * its small segment before sending more (Nagle, RFC 896) would otherwise never send the rest. Such a line passes
 * unparsed after the sender's retransmission timeout. So reassembly works when the rest of the line follows without
 * waiting for an acknowledgement: a line split at the MSS, pipelined writes, or a sender with TCP_NODELAY.
 * <p>
 * Not handled: a segment with the held bytes in front may exceed the path MTU (as a grown rewrite may; nothing is
 * re-segmented); a rewrite of a reassembled line is recorded at the held bytes' sequence number, so a segment
 * reordered past it gets the older shift (the sequence delta keeps one correction position per direction).
 */
public final class LineReassembly {
    /**
     * The most bytes held per session and direction. The longest line an ALG translates is far shorter (an FTP
     * {@code EPRT |2|} line with a full IPv6 address is under 80 bytes; RFC 959 lines are short text); 512 leaves
     * room for a reply's free text before its numbers.
     */
    public static final int MAX_HELD_BYTES = 512;
    /** The most hold buffers per engine: 2 MiB, whatever the session table's size. Split lines are transient. */
    public static final int MAX_HELD_LINES = 4_096;
    private static final int NONE = -1;

    private final byte[] bytes;
    private final MemorySegment heap;
    private final int[] freeBuffers;
    private int freeCount;
    /** Per ALG slot and direction: the buffer holding its bytes, or NONE. */
    private final int[] bufferOf;
    /** Per ALG slot and direction: the sequence number at which a line is not held again. */
    private final int[] resentSequence;
    private final boolean[] hasResent;
    /** Per buffer. */
    private final int[] heldSequence;
    private final int[] heldLength;
    private final long[] counters;

    /** Buffers for {@code algSlots} ALG sessions: two per slot, at most {@link #MAX_HELD_LINES}. */
    public LineReassembly(int algSlots, long[] counters) {
        int buffers = (int) Math.min(MAX_HELD_LINES, 2L * algSlots);
        this.counters = counters;
        bytes = new byte[buffers * MAX_HELD_BYTES];
        heap = MemorySegment.ofArray(bytes);
        freeBuffers = new int[buffers];
        for (int i = 0; i < buffers; i++) {
            freeBuffers[i] = buffers - 1 - i;
        }
        freeCount = buffers;
        bufferOf = new int[algSlots * 2];
        java.util.Arrays.fill(bufferOf, NONE);
        resentSequence = new int[algSlots * 2];
        hasResent = new boolean[algSlots * 2];
        heldSequence = new int[buffers];
        heldLength = new int[buffers];
    }

    /** Hold buffers in use now. */
    public int heldCount() {
        return freeBuffers.length - freeCount;
    }

    public boolean isHolding(int algSlot, int direction) {
        return bufferOf[algSlot * 2 + direction] != NONE;
    }

    /** The sender's sequence number of the first held byte; only while {@link #isHolding}. */
    public int heldSequence(int algSlot, int direction) {
        return heldSequence[bufferOf[algSlot * 2 + direction]];
    }

    /** How many bytes are held; only while {@link #isHolding}. */
    public int heldLength(int algSlot, int direction) {
        return heldLength[bufferOf[algSlot * 2 + direction]];
    }

    /** Copies the first {@code count} held bytes to {@code target} at {@code offset}. */
    void copyHeld(int algSlot, int direction, int count, MemorySegment target, long offset) {
        int buffer = bufferOf[algSlot * 2 + direction];
        MemorySegment.copy(heap, (long) buffer * MAX_HELD_BYTES, target, offset, count);
    }

    /**
     * Holds {@code length} bytes of {@code segment} from {@code from}, the first of which has sequence number
     * {@code sequence} in the sender's numbering; replaces what was held before in this direction.
     */
    HoldReason hold(int algSlot, int direction, int sequence, MemorySegment segment, long from, int length) {
        int i = algSlot * 2 + direction;
        if (length > MAX_HELD_BYTES) {
            return HoldReason.OVER_BOUND;
        }
        if (hasResent[i] && resentSequence[i] == sequence) {
            return HoldReason.RESENT;
        }
        int buffer = bufferOf[i];
        if (buffer == NONE) {
            if (freeCount == 0) {
                return HoldReason.NO_BUFFER;
            }
            buffer = freeBuffers[--freeCount];
            bufferOf[i] = buffer;
        }
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, from, bytes, buffer * MAX_HELD_BYTES, length);
        heldSequence[buffer] = sequence;
        heldLength[buffer] = length;
        hasResent[i] = false;
        counters[AlgEvent.LINE_HELD.ordinal()]++;
        return HoldReason.OK;
    }

    /** The held bytes went out in front of a segment: the buffer is free again. */
    void released(int algSlot, int direction) {
        free(algSlot * 2 + direction);
        counters[AlgEvent.HELD_LINE_PREPENDED.ordinal()]++;
    }

    /** Drops the held copy of this direction, counting {@code why}. */
    public void drop(int algSlot, int direction, AlgEvent why) {
        int i = algSlot * 2 + direction;
        if (bufferOf[i] == NONE) {
            return;
        }
        free(i);
        counters[why.ordinal()]++;
    }

    /**
     * For the engine: drops the held copy, counting {@code why}, and refuses to hold a line at the same sequence
     * number again: the hold did not work out (the sender resent the held bytes alone because it waits for their
     * acknowledgement, or the next segment had no room for them), and holding them again would stall the stream.
     */
    public void dropAndRefuseAgain(int algSlot, int direction, AlgEvent why) {
        int i = algSlot * 2 + direction;
        int buffer = bufferOf[i];
        if (buffer == NONE) {
            return;
        }
        resentSequence[i] = heldSequence[buffer];
        hasResent[i] = true;
        drop(algSlot, direction, why);
    }

    /** For the engine: a RST or the end of the session drops what both directions hold. */
    public void dropAll(int algSlot) {
        for (int direction = 0; direction < 2; direction++) {
            drop(algSlot, direction, AlgEvent.HELD_LINE_DISCARDED);
            hasResent[algSlot * 2 + direction] = false;
        }
    }

    private void free(int i) {
        freeBuffers[freeCount++] = bufferOf[i];
        bufferOf[i] = NONE;
    }
}
