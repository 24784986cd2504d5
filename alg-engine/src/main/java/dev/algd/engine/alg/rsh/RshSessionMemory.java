package dev.algd.engine.alg.rsh;

/**
 * Which control sessions already had their first string inspected, and for those whose stderr port was moved the
 * port asked for and the port given: the per-session state {@link RshAlg} needs and the framework does not offer (an
 * {@link dev.algd.engine.alg.AlgPacket} carries the session's id, but neither a per-session scratch word nor the TCP
 * sequence number, and no call tells an ALG that a session ended).
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
    static final int ABSENT = -1;
    private static final long EMPTY = 0;

    private final long[] ids;
    private final int[] wantedPorts;
    private final int[] movedPorts;
    private final int[] clientPorts;
    private final int[] serverPorts;
    private final int setMask;
    private long evictions;

    /** @param capacity how many sessions are remembered; a power of two, at least {@link #WAYS} */
    RshSessionMemory(int capacity) {
        if (capacity < WAYS || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two >= " + WAYS);
        }
        ids = new long[capacity];
        wantedPorts = new int[capacity];
        movedPorts = new int[capacity];
        clientPorts = new int[capacity];
        serverPorts = new int[capacity];
        setMask = capacity / WAYS - 1;
    }

    private int set(long id) {
        long h = id * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & setMask;
    }

    /** The entry of session {@code id} (ids are never 0), or {@link #ABSENT}. */
    int indexOf(long id) {
        int base = set(id) * WAYS;
        for (int w = 0; w < WAYS; w++) {
            if (ids[base + w] == id) {
                return base + w;
            }
        }
        return ABSENT;
    }

    boolean contains(long id) {
        return indexOf(id) != ABSENT;
    }

    /** Remembers session {@code id} (its port not moved) and returns its entry. */
    int add(long id) {
        int base = set(id) * WAYS;
        int victim = base;
        for (int w = 0; w < WAYS; w++) {
            long held = ids[base + w];
            if (held == id) {
                return base + w;
            }
            if (held == EMPTY) {
                victim = base + w;
                break;
            }
            if (held < ids[victim]) {
                victim = base + w;
            }
        }
        if (ids[victim] != EMPTY) {
            evictions++;
        }
        ids[victim] = id;
        wantedPorts[victim] = 0;
        movedPorts[victim] = 0;
        clientPorts[victim] = 0;
        serverPorts[victim] = 0;
        return victim;
    }

    /**
     * Records the control connection's ports at {@code entry}: the client's own and as the server sees it, the
     * server's as the client sees it and its own (they differ behind source or destination NAT).
     */
    void ports(int entry, int clientOwn, int clientSeen, int serverSeen, int serverOwn) {
        clientPorts[entry] = clientOwn << 16 | clientSeen;
        serverPorts[entry] = serverSeen << 16 | serverOwn;
    }

    int clientOwnPort(int entry) {
        return clientPorts[entry] >>> 16;
    }

    int clientSeenPort(int entry) {
        return clientPorts[entry] & 0xFFFF;
    }

    int serverSeenPort(int entry) {
        return serverPorts[entry] >>> 16;
    }

    int serverOwnPort(int entry) {
        return serverPorts[entry] & 0xFFFF;
    }

    /** Records that the stderr port {@code wanted} of the session at {@code entry} became {@code moved}. */
    void moved(int entry, int wanted, int moved) {
        wantedPorts[entry] = wanted;
        movedPorts[entry] = moved;
    }

    /** The port asked for by the session at {@code entry}, when it was moved; 0 otherwise. */
    int wantedPort(int entry) {
        return wantedPorts[entry];
    }

    /** The port given instead, 0 when the port was not moved. */
    int movedPort(int entry) {
        return movedPorts[entry];
    }

    /** How often a remembered session was pushed out by a newer one. */
    long evictions() {
        return evictions;
    }
}
