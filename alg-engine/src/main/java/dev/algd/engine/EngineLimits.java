package dev.algd.engine;

/**
 * Sizes fixed when an engine is built; the engine allocates its tables once from them.
 *
 * @param maxSessions session table capacity; new flows beyond it are dropped with
 *                    {@link DropReason#SESSION_TABLE_FULL}
 */
public record EngineLimits(int maxSessions) {
    /** 2^20 sessions: about 165 MB of heap (about 124 bytes per slot plus 32 bytes of index per session). */
    public static final int DEFAULT_MAX_SESSIONS = 1 << 20;

    public EngineLimits {
        if (maxSessions < 1 || maxSessions > 1 << 28) {
            throw new IllegalArgumentException("maxSessions " + maxSessions + " is outside 1.." + (1 << 28));
        }
    }

    public static EngineLimits defaults() {
        return new EngineLimits(DEFAULT_MAX_SESSIONS);
    }
}
