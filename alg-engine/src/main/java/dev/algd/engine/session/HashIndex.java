package dev.algd.engine.session;

/**
 * An open-addressing index from 32-bit hashes to small non-negative ints (slots of the owner's arrays), the one the
 * session table, the expectation table and the per-source counts look their keys up in. The owner computes the
 * (seeded) hash, walks the probe sequence from {@link #home} with {@link #next} and compares its own key at each
 * candidate whose tag matches ({@link #isCandidate}); the index holds no keys.
 * <p>
 * Linear probing, at most half full (sized at construction for {@code maxEntries}), cleaned by backward-shift
 * deletion (Knuth, TAOCP vol. 3, 6.4 Algorithm R), so there are no tombstones and a probe run ends at the first
 * empty position. A position is one {@code int}, 0 when empty: the value + 1 in the low bits; above them the entry's
 * distance from its home position (up to {@link #FAR}), which is all that deletion needs to know of the entries it
 * may shift back; and in the top bits a tag from its hash, which spares the owner most comparisons with keys that
 * merely share the probe run. Small entries keep the index small enough for the caches to hold much of it: a
 * lookup's index probe is the one miss that the record's miss must wait for. Only for an entry {@link #FAR} or
 * more from home does deletion ask the owner for its hash ({@link Hashes}). Allocates nothing after construction.
 */
public final class HashIndex {
    /** The owner's side of deletion: the hash under which {@code value} was inserted. */
    @FunctionalInterface
    public interface Hashes {
        int hashOf(int value);
    }

    /** Distances from home of {@code FAR} and beyond are not stored: deletion asks the owner then. */
    static final int FAR = 7;
    private static final int DISTANCE_BITS = 3;

    private final int[] positions;
    private final int mask;
    /** Bits of an entry that hold the value + 1; the rest is the tag. */
    private final int valueBits;
    private final int valueMask;
    private final int distanceMask;
    /** The bits of an entry above value and distance: the top bits of its hash. */
    private final int tagMask;
    private final int maxEntries;
    private final int maxValues;
    private final Hashes hashes;
    private int size;

    /**
     * An index with room for {@code maxEntries} entries at a load factor of at most one half, of values in
     * {@code 0..maxValues - 1}.
     */
    public HashIndex(int maxEntries, int maxValues, Hashes hashes) {
        if (maxEntries < 1 || maxEntries > 1 << 29) {
            throw new IllegalArgumentException("index entries " + maxEntries + " is outside 1.." + (1 << 29));
        }
        if (maxValues < 1 || maxValues > 1 << 28) {
            throw new IllegalArgumentException("index values " + maxValues + " is outside 1.." + (1 << 28));
        }
        int length = Math.max(16, Integer.highestOneBit(maxEntries * 2 - 1) << 1);
        positions = new int[length];
        mask = length - 1;
        valueBits = 32 - Integer.numberOfLeadingZeros(maxValues);
        valueMask = (1 << valueBits) - 1;
        distanceMask = FAR << valueBits;
        // Java shifts an int by the distance mod 32: with no bits left for a tag, every entry is a candidate.
        tagMask = valueBits + DISTANCE_BITS == Integer.SIZE ? 0 : -1 << valueBits + DISTANCE_BITS;
        this.maxEntries = maxEntries;
        this.maxValues = maxValues;
        this.hashes = hashes;
    }

    /** Where the probe sequence of {@code hash} starts. */
    public int home(int hash) {
        return hash & mask;
    }

    /** The position after {@code position}, wrapping at the end. */
    public int next(int position) {
        return position + 1 & mask;
    }

    /** The raw entry at {@code position}: 0 when empty, else read it with {@link #isCandidate} and {@link #valueOf}. */
    public int at(int position) {
        return positions[position];
    }

    /** Whether {@code entry}'s tag is that of {@code hash}: its value may then be the key looked for. */
    public boolean isCandidate(int entry, int hash) {
        return ((entry ^ hash) & tagMask) == 0;
    }

    public int valueOf(int entry) {
        return (entry & valueMask) - 1;
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
        int entry = entry(hash, value);
        int i = hash & mask;
        int distance = 0;
        while (positions[i] != 0) {
            i = i + 1 & mask;
            distance++;
        }
        positions[i] = withDistance(entry, distance);
        size++;
    }

    /** Removes the entry of {@code value} under {@code hash}; false, changing nothing, if there is none. */
    public boolean remove(int hash, int value) {
        int wanted = entry(hash, value);
        int i = hash & mask;
        while ((positions[i] & ~distanceMask) != wanted) {
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
            int moving = positions[j];
            if (moving == 0) {
                break;
            }
            int distance = (moving & distanceMask) >>> valueBits;
            int home = distance < FAR ? j - distance & mask : hashes.hashOf(valueOf(moving)) & mask;
            boolean homeInRange = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeInRange) {
                positions[hole] = withDistance(moving, hole - home & mask);
                hole = j;
            }
        }
        positions[hole] = 0;
        size--;
        return true;
    }

    private int entry(int hash, int value) {
        if (value < 0 || value >= maxValues) {
            throw new IllegalArgumentException("index value " + value + " is outside 0.." + (maxValues - 1));
        }
        return hash & tagMask | value + 1;
    }

    private int withDistance(int entry, int distance) {
        return entry & ~distanceMask | Math.min(distance, FAR) << valueBits;
    }
}
