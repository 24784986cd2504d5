package dev.algd.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer, single-consumer ring of fixed-size messages between two workers, allocated once: each slot
 * holds {@code words} longs and, for a frame ring, {@code frameBytes} bytes of frame. The producer fills
 * {@link #words()} / {@link #frame} at the slot {@link #claim} gave and calls {@link #publish}; the consumer reads
 * the slot {@link #peek} gave and calls {@link #release}. The two counters are the only shared state, written with
 * release and read with acquire semantics, so the slot's contents are visible before its counter is.
 */
final class SpscRing {
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(SpscRing.class, "tail", long.class);
            HEAD = lookup.findVarHandle(SpscRing.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final int wordsPerSlot;
    private final long[] words;
    private final MemorySegment[] frames;
    private final int frameBytes;
    /** Written by the producer only. */
    private long tail;
    /** Written by the consumer only. */
    private long head;
    /** The producer's copy of {@link #head} as last read, so a claim rarely reads the consumer's counter. */
    private long cachedHead;

    SpscRing(int slots, int wordsPerSlot, int frameBytes) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("ring slots " + slots + " is not a power of two");
        }
        this.mask = slots - 1;
        this.wordsPerSlot = wordsPerSlot;
        this.words = new long[slots * wordsPerSlot];
        this.frameBytes = frameBytes;
        this.frames = new MemorySegment[frameBytes == 0 ? 0 : slots];
        MemorySegment all = frameBytes == 0 ? MemorySegment.NULL : Arena.ofAuto().allocate((long) slots * frameBytes, 64);
        for (int i = 0; i < frames.length; i++) {
            frames[i] = all.asSlice((long) i * frameBytes, frameBytes);
        }
    }

    long[] words() {
        return words;
    }

    /** The first word of {@code slot} in {@link #words()}. */
    int wordsAt(int slot) {
        return slot * wordsPerSlot;
    }

    /** The frame bytes of {@code slot} (a frame ring only). */
    MemorySegment frame(int slot) {
        return frames[slot];
    }

    int frameBytes() {
        return frameBytes;
    }

    /** Producer: a free slot to fill, or -1 when the ring is full. */
    int claim() {
        long t = tail;
        if (t - cachedHead > mask) {
            cachedHead = (long) HEAD.getAcquire(this);
            if (t - cachedHead > mask) {
                return -1;
            }
        }
        return (int) t & mask;
    }

    /** Producer: the claimed slot is filled. */
    void publish() {
        TAIL.setRelease(this, tail + 1);
    }

    /** Consumer: the oldest published slot, or -1 when there is none. */
    int peek() {
        long h = head;
        return (long) TAIL.getAcquire(this) == h ? -1 : (int) h & mask;
    }

    /** Consumer: done with the slot {@link #peek} gave. */
    void release() {
        HEAD.setRelease(this, head + 1);
    }
}
