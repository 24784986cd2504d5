package dev.algd.engine.session;

/**
 * How many sessions each source holds, for the per-source session limit: counts of 64-bit keys (an IPv4 address, or
 * the /64 prefix of an IPv6 one: an IPv6 host picks addresses at will within its /64), found through a
 * {@link HashIndex}, with room for as many sources as the session table has slots, so it never fills. A key leaves
 * when its count drops to zero. Allocates nothing after construction.
 */
final class SourceCounts {
    private final HashIndex index;
    private final long[] keys;
    private final int[] counts;
    private final int[] freeEntries;
    private int freeCount;

    /** @param sources the most sources there can be (the session table's capacity) */
    SourceCounts(int sources) {
        keys = new long[sources];
        index = new HashIndex(sources, sources, entry -> hash(keys[entry]));
        counts = new int[sources];
        freeEntries = new int[sources];
        for (int i = 0; i < sources; i++) {
            freeEntries[i] = sources - 1 - i;
        }
        freeCount = sources;
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32);
    }

    /** The entry holding {@code key}, or -1. */
    private int find(long key, int hash) {
        for (int i = index.home(hash); ; i = index.next(i)) {
            int indexed = index.at(i);
            if (indexed == 0) {
                return -1;
            }
            if (index.isCandidate(indexed, hash) && keys[index.valueOf(indexed)] == key) {
                return index.valueOf(indexed);
            }
        }
    }

    int count(long key) {
        int entry = find(key, hash(key));
        return entry < 0 ? 0 : counts[entry];
    }

    void increment(long key) {
        int hash = hash(key);
        int entry = find(key, hash);
        if (entry < 0) {
            entry = freeEntries[--freeCount];
            keys[entry] = key;
            counts[entry] = 0;
            index.insert(hash, entry);
        }
        counts[entry]++;
    }

    void decrement(long key) {
        int hash = hash(key);
        int entry = find(key, hash);
        if (entry < 0 || --counts[entry] > 0) {
            return;
        }
        index.remove(hash, entry);
        freeEntries[freeCount++] = entry;
    }
}
