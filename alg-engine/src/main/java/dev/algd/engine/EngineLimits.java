package dev.algd.engine;

import dev.algd.engine.session.SessionTable;

/**
 * Sizes fixed when an engine is built; the engine allocates its tables once from them.
 * <p>
 * When the table is full, a new flow first reclaims an expired session, then evicts one that never saw a reply
 * (Linux conntrack's early drop); sessions that saw a reply are never evicted, and the new flow is dropped with
 * {@link DropReason#SESSION_TABLE_FULL} instead.
 *
 * @param maxSessions session table capacity (IPv4; the IPv6 table gets a quarter of it, at least 64)
 * @param maxSessionsPerSource live sessions one source (an IPv4 address, the /64 of an IPv6 address) may hold, new
 *                    flows beyond it dropped with {@link DropReason#SOURCE_SESSION_LIMIT}; 0 for no limit
 */
public record EngineLimits(int maxSessions, int maxSessionsPerSource) {
    /**
     * 2^20 sessions: about 290 MB of heap for the whole engine ({@code bench/run-jmh.sh heap}), of which the IPv4
     * session table takes 152 bytes per slot (a 128-byte record, 16 bytes of index, an interface name reference and a
     * free-list entry), the IPv6 table and the ALG state the rest.
     */
    public static final int DEFAULT_MAX_SESSIONS = 1 << 20;

    public EngineLimits {
        if (maxSessions < 1 || maxSessions > SessionTable.MAX_CAPACITY) {
            throw new IllegalArgumentException("maxSessions " + maxSessions + " is outside 1.."
                    + SessionTable.MAX_CAPACITY);
        }
        if (maxSessionsPerSource < 0) {
            throw new IllegalArgumentException("maxSessionsPerSource " + maxSessionsPerSource + " is below 0");
        }
    }

    /** No per-source limit. */
    public EngineLimits(int maxSessions) {
        this(maxSessions, 0);
    }

    public static EngineLimits defaults() {
        return new EngineLimits(DEFAULT_MAX_SESSIONS);
    }
}
