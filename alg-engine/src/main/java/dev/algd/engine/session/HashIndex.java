package dev.algd.engine.session;

/**
 * An open-addressing index from 32-bit hashes to small non-negative ints (slots of the owner's arrays), the one the
 * session table and the expectation table look their keys up in. The owner computes the (seeded) hash, walks the
 * probe sequence from {@link #home} with {@link #next} and compares its own key at each candidate value whose hash
 * matches; the index holds no keys, so two keys with one hash are two entries.
 * <p>
 * Linear probing, at most half full (sized at construction for {@code maxEntries}), cleaned by backward-shift
 * deletion (Knuth, TAOCP vol. 3, 6.4 Algorithm R), so there are no tombstones and a probe run ends at the first
 * empty position. A position is one {@code long}, {@code hash << 32 | value + 1} (0 when empty), so that a probe
 * reads one cache line, not one per array. Allocates nothing after construction.
 */
public final class HashIndex {
    private final long[] positions;
    private final int mask;
    private final int maxEntries;
    private int size;

    /** An index with room for {@code maxEntries} entries at a load factor of at most one half. */
    public HashIndex(int maxEntries) {
        if (maxEntries < 1 || maxEntries > 1 << 29) {
            throw new IllegalArgumentException("index entries " + maxEntries + " is outside 1.." + (1 << 29));
        }
        int length = Math.max(16, Integer.highestOneBit(maxEntries * 2 - 1) << 1);
        positions = new long[length];
        mask = length - 1;
        this.maxEntries = maxEntries;
    }

    /** Where the probe sequence of {@code hash} starts. */
    public int home(int hash) {
        return hash & mask;
    }

    /** The position after {@code position}, wrapping at the end. */
    public int next(int position) {
        return position + 1 & mask;
    }

    /** The raw entry at {@code position}: 0 when empty, else read it with {@link #hashOf} and {@link #valueOf}. */
    public long at(int position) {
        return positions[position];
    }

    public static int hashOf(long entry) {
        return (int) (entry >>> 32);
    }

    public static int valueOf(long entry) {
        return (int) entry - 1;
    }

    /** Entries held. */
    public int size() {
        return size;
    }

    /**
     * Adds {@code value} under {@code hash}, even if it is already there (the owner checks for its key first).
     *
     * @throws IllegalStateException if the index already holds the {@code maxEntries} it was built for
     */
    public void insert(int hash, int value) {
        if (size == maxEntries) {
            throw new IllegalStateException("index already holds its " + maxEntries + " entries");
        }
        int i = hash & mask;
        while (positions[i] != 0) {
            i = i + 1 & mask;
        }
        positions[i] = entry(hash, value);
        size++;
    }

    /** Removes the entry of {@code value} under {@code hash}; false, changing nothing, if there is none. */
    public boolean remove(int hash, int value) {
        long wanted = entry(hash, value);
        int i = hash & mask;
        while (positions[i] != wanted) {
            if (positions[i] == 0) {
                return false;
            }
            i = i + 1 & mask;
        }
        // Backward shift: pull later entries of the probe run into the hole unless their home lies in (hole, j].
        int hole = i;
        int j = i;
        while (true) {
            j = j + 1 & mask;
            long moving = positions[j];
            if (moving == 0) {
                break;
            }
            int home = hashOf(moving) & mask;
            boolean homeInRange = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeInRange) {
                positions[hole] = moving;
                hole = j;
            }
        }
        positions[hole] = 0;
        size--;
        return true;
    }

    private static long entry(int hash, int value) {
        if (value < 0 || value == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("index value " + value + " is outside 0.." + (Integer.MAX_VALUE - 1));
        }
        return (long) hash << 32 | value + 1;
    }
}
