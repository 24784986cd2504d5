package dev.algd.engine.session;

/**
 * How many sessions each source holds, for the per-source session limit: an open-addressing table of 64-bit keys (an
 * IPv4 address, or the /64 prefix of an IPv6 one: an IPv6 host picks addresses at will within its /64) to counts,
 * sized at start for as many sources as the session table has slots, so it never fills. Keys leave when their count
 * drops to zero (backward-shift deletion, as the session index). Allocates nothing after construction.
 */
final class SourceCounts {
    private final long[] keys;
    private final int[] counts;
    private final int mask;

    /** @param sources the most sources there can be (the session table's capacity) */
    SourceCounts(int sources) {
        int size = Integer.highestOneBit(Math.max(2, sources) * 2 - 1) * 2;
        keys = new long[size];
        counts = new int[size];
        mask = size - 1;
    }

    private static int home(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32);
    }

    /** The entry holding {@code key}, or the empty entry where it would go. */
    private int find(long key) {
        int i = home(key) & mask;
        while (counts[i] != 0 && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    int count(long key) {
        return counts[find(key)];
    }

    void increment(long key) {
        int i = find(key);
        keys[i] = key;
        counts[i]++;
    }

    void decrement(long key) {
        int i = find(key);
        if (counts[i] == 0) {
            return;
        }
        if (--counts[i] > 0) {
            return;
        }
        // Backward-shift: pull later entries of the probe run into the hole unless their home lies in (hole, j].
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (counts[j] == 0) {
                break;
            }
            int h = home(keys[j]) & mask;
            boolean homeInRange = hole <= j ? hole < h && h <= j : hole < h || h <= j;
            if (!homeInRange) {
                keys[hole] = keys[j];
                counts[hole] = counts[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        counts[hole] = 0;
    }
}
