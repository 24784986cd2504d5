package dev.algd.engine.alg.rpc;

/**
 * The GETPORT and GETADDR calls waiting for their reply, keyed by control session id and xid: a fixed table allocated
 * at start, {@link #SETS} sets of {@link #WAYS} entries, nothing allocated per packet.
 * <p>
 * Why keyed by session id and not by the framework's per-session slot: the {@code Alg} contract gives an ALG neither
 * its slot nor a call when a session ends. So an entry does not go with its session; it goes when its reply comes,
 * when it is {@link #LIFETIME_NANOS} old, or when its set is full and it is the oldest there (counted by the ALG).
 * Session ids are never reused, so a stale entry can never answer another session's reply.
 */
final class PendingCalls {
    static final int SETS = 1_024;
    static final int WAYS = 4;
    static final int NONE = -1;
    /**
     * How long a call waits for its reply. libtirpc's clients give up after 25 s (rpcinfo's and the mount's total
     * timeout); a reply later than 30 s is not waited for.
     */
    static final long LIFETIME_NANOS = 30_000_000_000L;
    static final int STORED = 0;
    static final int RETRANSMITTED = 1;
    static final int EVICTED = 2;

    private final boolean[] isUsed = new boolean[SETS * WAYS];
    private final long[] sessionIds = new long[SETS * WAYS];
    private final int[] xids = new int[SETS * WAYS];
    private final long[] expiresAtNanos = new long[SETS * WAYS];
    private final int[] queries = new int[SETS * WAYS];
    private final long[] programs = new long[SETS * WAYS];
    private final int[] protocols = new int[SETS * WAYS];

    /** Remembers a call; answers {@link #STORED}, {@link #RETRANSMITTED} or {@link #EVICTED} (stored, oldest out). */
    int remember(long sessionId, int xid, int query, long program, int protocol, long nowNanos) {
        int first = setOf(sessionId, xid) * WAYS;
        int free = NONE;
        int oldest = first;
        for (int i = first; i < first + WAYS; i++) {
            if (isUsed[i] && sessionIds[i] == sessionId && xids[i] == xid) {
                fill(i, sessionId, xid, query, program, protocol, nowNanos);
                return RETRANSMITTED;
            }
            boolean isFree = !isUsed[i] || expiresAtNanos[i] - nowNanos <= 0;
            if (isFree && free == NONE) {
                free = i;
            }
            if (expiresAtNanos[i] - expiresAtNanos[oldest] < 0) {
                oldest = i;
            }
        }
        fill(free == NONE ? oldest : free, sessionId, xid, query, program, protocol, nowNanos);
        return free == NONE ? EVICTED : STORED;
    }

    /** The entry of the call {@code xid} of {@code sessionId} still waiting, or {@link #NONE}. */
    int find(long sessionId, int xid, long nowNanos) {
        int first = setOf(sessionId, xid) * WAYS;
        for (int i = first; i < first + WAYS; i++) {
            if (isUsed[i] && sessionIds[i] == sessionId && xids[i] == xid && expiresAtNanos[i] - nowNanos > 0) {
                return i;
            }
        }
        return NONE;
    }

    /** The reply came: the entry is free again. */
    void release(int entry) {
        isUsed[entry] = false;
    }

    int query(int entry) {
        return queries[entry];
    }

    long program(int entry) {
        return programs[entry];
    }

    int protocol(int entry) {
        return protocols[entry];
    }

    /** Entries in use and not yet expired, for tests. */
    int size(long nowNanos) {
        int n = 0;
        for (int i = 0; i < isUsed.length; i++) {
            if (isUsed[i] && expiresAtNanos[i] - nowNanos > 0) {
                n++;
            }
        }
        return n;
    }

    private void fill(int i, long sessionId, int xid, int query, long program, int protocol, long nowNanos) {
        isUsed[i] = true;
        sessionIds[i] = sessionId;
        xids[i] = xid;
        queries[i] = query;
        programs[i] = program;
        protocols[i] = protocol;
        expiresAtNanos[i] = nowNanos + LIFETIME_NANOS;
    }

    private static int setOf(long sessionId, int xid) {
        long h = (sessionId * 0x9E37_79B9_7F4A_7C15L) ^ (xid * 0xC2B2_AE3D_27D4_EB4FL);
        return (int) (h >>> 32 ^ h) & (SETS - 1);
    }
}
