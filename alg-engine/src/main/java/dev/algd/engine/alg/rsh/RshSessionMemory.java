package dev.algd.engine.alg.rsh;

/**
 * Which control sessions already had their first string inspected: the per-session state {@link RshAlg} needs and
 * the framework does not offer (an {@link dev.algd.engine.alg.AlgPacket} carries the session's id, but neither a
 * per-session scratch word nor the TCP sequence number, and no call tells an ALG that a session ended).
 * <p>
 * A fixed table of session ids, allocated at start, in sets of {@link #WAYS}: a new id takes a free way of its set,
 * else the way with the smallest id. Session ids grow with each session an engine creates, so the smallest is the
 * oldest session, the one most likely to have ended. Nothing is ever removed otherwise; an id stays until pushed
 * out. An evicted session that is still open would have its next client segment taken for a first string:
 * {@link RshEvent#SESSION_FORGOTTEN} counts how often a way was taken from a remembered id.
 */
final class RshSessionMemory {
    /** Ways per set. */
    static final int WAYS = 4;
    private static final long EMPTY = 0;

    private final long[] ids;
    private final int setMask;

    /** @param capacity how many sessions are remembered; a power of two, at least {@link #WAYS} */
    RshSessionMemory(int capacity) {
        if (capacity < WAYS || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two >= " + WAYS);
        }
        ids = new long[capacity];
        setMask = capacity / WAYS - 1;
    }

    private int set(long id) {
        long h = id * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & setMask;
    }

    /** Whether the first string of session {@code id} was inspected. Ids are never 0. */
    boolean contains(long id) {
        int base = set(id) * WAYS;
        for (int w = 0; w < WAYS; w++) {
            if (ids[base + w] == id) {
                return true;
            }
        }
        return false;
    }

    /** Remembers that the first string of session {@code id} was inspected; answers whether another was forgotten. */
    boolean add(long id) {
        int base = set(id) * WAYS;
        int victim = base;
        for (int w = 0; w < WAYS; w++) {
            long held = ids[base + w];
            if (held == id) {
                return false;
            }
            if (held == EMPTY) {
                ids[base + w] = id;
                return false;
            }
            if (held < ids[victim]) {
                victim = base + w;
            }
        }
        ids[victim] = id;
        return true;
    }
}
