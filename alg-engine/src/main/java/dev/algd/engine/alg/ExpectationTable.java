package dev.algd.engine.alg;

import java.security.SecureRandom;

/**
 * Every pending expectation of one worker, in primitive arrays sized once at start. The one place that stores,
 * refreshes, evicts, matches, times out and removes expectations (netfilter's {@code nf_conntrack_expect.c}); no
 * ALG does any of this itself.
 * <p>
 * An entry is a tuple with a wildcard mask: the source port, or the source address and port, may be "any". A new
 * flow is looked up from the most specific entry to the least (full tuple, any source port, any source address and
 * port), as vyatta's {@code alg_apt.c} does: four probes of one open-addressing index (linear probing,
 * backward-shift deletion, seeded hash), made only while the table holds anything.
 * <p>
 * Bounds: the table's capacity in total ({@link ExpectationReason#TABLE_FULL}), and per parent the ALG's
 * {@link AlgPolicy#maxExpectationsPerParent()}, past which the parent's oldest entry is evicted. Each parent's
 * entries form a list in creation order, so eviction and removal with the parent cost only that parent's entries.
 * Parents are identified by their ALG session slot ({@link AlgSessionTable}).
 * <p>
 * Addresses are kept as two {@code long}s ({@link AlgAddress}) with the family in the key, so IPv4 and IPv6 children
 * share this one table, its bounds and its lookup.
 */
public final class ExpectationTable {
    public static final int NONE = -1;
    static final int ANY_SOURCE_PORT = 1;
    static final int ANY_SOURCE_ADDRESS = 2;
    /** Not a wildcard: the family is part of the key, so an IPv4-mapped address never meets a native IPv6 flow. */
    static final int IPV6 = 4;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    /** Lookup order, most specific first. */
    private static final int[] MASKS = {0, ANY_SOURCE_PORT, ANY_SOURCE_ADDRESS | ANY_SOURCE_PORT};

    private final int capacity;
    private final long hashSeed;
    private final long[] counters;
    private final AlgStatistics statistics;
    private final int indexMask;
    /** Entry + 1, or 0 for an empty position. */
    private final int[] indexEntries;
    private final int[] indexHashes;

    private final boolean[] inUse;
    private final byte[] protocols;
    private final byte[] masks;
    /** Per entry, source then destination, each as two longs (high, low). */
    private final long[] addresses;
    private final int[] sourcePorts;
    private final int[] destinationPorts;
    private final int[] hashes;
    private final boolean[] translatesSource;
    private final boolean[] translatesDestination;
    /** Per entry, the new source then the new destination, each as two longs. */
    private final long[] newAddresses;
    private final int[] newSourcePorts;
    private final int[] newDestinationPorts;
    private final long[] expiresAtNanos;
    private final boolean[] oneShot;
    private final boolean[] inspectsChild;
    private final int[] parents;
    private final long[] parentSessionIds;
    private final byte[] algIds;
    private final int[] nextOfParent;
    private final int[] previousOfParent;

    private final int[] parentHead;
    private final int[] parentTail;
    private final int[] parentCount;

    private final int[] freeEntries;
    private int freeCount;
    private int sweepCursor;

    /**
     * @param capacity the most expectations stored at once
     * @param parents how many parents (ALG session slots) there may be
     * @param counters the engine's counters, indexed by {@link AlgEvent} ordinal
     * @param statistics the engine's per-ALG counters: created, used, expired and limit hits, by the entry's ALG
     */
    public ExpectationTable(int capacity, int parents, long[] counters, AlgStatistics statistics) {
        this(capacity, parents, counters, statistics, new SecureRandom().nextLong());
    }

    ExpectationTable(int capacity, int parents, long[] counters, AlgStatistics statistics, long hashSeed) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("expectation capacity " + capacity + " is outside 1.." + (1 << 24));
        }
        this.capacity = capacity;
        this.hashSeed = hashSeed;
        this.counters = counters;
        this.statistics = statistics;
        int indexSize = Math.max(16, Integer.highestOneBit(capacity * 2 - 1) << 1);
        indexMask = indexSize - 1;
        indexEntries = new int[indexSize];
        indexHashes = new int[indexSize];
        inUse = new boolean[capacity];
        protocols = new byte[capacity];
        masks = new byte[capacity];
        addresses = new long[capacity * 4];
        sourcePorts = new int[capacity];
        destinationPorts = new int[capacity];
        hashes = new int[capacity];
        translatesSource = new boolean[capacity];
        translatesDestination = new boolean[capacity];
        newAddresses = new long[capacity * 4];
        newSourcePorts = new int[capacity];
        newDestinationPorts = new int[capacity];
        expiresAtNanos = new long[capacity];
        oneShot = new boolean[capacity];
        inspectsChild = new boolean[capacity];
        this.parents = new int[capacity];
        parentSessionIds = new long[capacity];
        algIds = new byte[capacity];
        nextOfParent = new int[capacity];
        previousOfParent = new int[capacity];
        parentHead = new int[parents];
        parentTail = new int[parents];
        parentCount = new int[parents];
        java.util.Arrays.fill(parentHead, NONE);
        java.util.Arrays.fill(parentTail, NONE);
        freeEntries = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeEntries[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return capacity - freeCount;
    }

    /** How many parents (ALG slots, or stand-ins for other workers' slots) entries may name. */
    public int parentCapacity() {
        return parentCount.length;
    }

    /**
     * Stores {@code request} for parent {@code parent} (an ALG session slot) of session {@code parentSessionId},
     * with the parent's ALG {@code algId}. An entry with the same tuple and mask is refreshed when it belongs to the
     * same parent and refused ({@link ExpectationReason#CLASH}) otherwise. Counts every outcome.
     */
    public ExpectationReason add(Expectation request, int parent, long parentSessionId, int algId,
            int maxPerParent, long timeoutNanos, long nowNanos) {
        int protocol = request.protocol;
        if (protocol != PROTOCOL_TCP && protocol != PROTOCOL_UDP
                || (request.sourcePort & ~0xffff) != 0 || (request.destinationPort & ~0xffff) != 0) {
            return ExpectationReason.INVALID;
        }
        int mask = (request.anySourcePort ? ANY_SOURCE_PORT : 0) | (request.anySourceAddress ? ANY_SOURCE_ADDRESS : 0);
        if (mask == ANY_SOURCE_ADDRESS) {
            mask |= ANY_SOURCE_PORT;  // "any address, one port" is not a class of its own: widen it
        }
        mask |= request.isIpv6 ? IPV6 : 0;
        boolean anyAddress = (mask & ANY_SOURCE_ADDRESS) != 0;
        long sourceHigh = anyAddress ? 0 : request.sourceHigh;
        long sourceLow = anyAddress ? 0 : request.sourceLow;
        int sourcePort = (mask & ANY_SOURCE_PORT) != 0 ? 0 : request.sourcePort;
        long destinationHigh = request.destinationHigh;
        long destinationLow = request.destinationLow;
        int hash = hash(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow,
                request.destinationPort, mask);
        int entry = lookup(hash, protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow,
                request.destinationPort, mask);
        if (entry != NONE && nowNanos - expiresAtNanos[entry] >= 0) {
            expired(entry);
            entry = NONE;
        }
        if (entry != NONE) {
            if (parents[entry] != parent || parentSessionIds[entry] != parentSessionId) {
                counters[AlgEvent.EXPECTATION_CLASH.ordinal()]++;
                return ExpectationReason.CLASH;
            }
            setPayload(entry, request, timeoutNanos, nowNanos);
            counters[AlgEvent.EXPECTATION_REFRESHED.ordinal()]++;
            return ExpectationReason.REFRESHED;
        }
        if (parentCount[parent] >= maxPerParent) {
            remove(parentHead[parent]);
            counters[AlgEvent.EXPECTATION_EVICTED.ordinal()]++;
            statistics.count(algId, AlgStatistic.LIMIT_HITS);
        }
        if (freeCount == 0 && expire(nowNanos, 64) == 0) {
            counters[AlgEvent.EXPECTATION_TABLE_FULL.ordinal()]++;
            statistics.count(algId, AlgStatistic.LIMIT_HITS);
            return ExpectationReason.TABLE_FULL;
        }
        entry = freeEntries[--freeCount];
        inUse[entry] = true;
        protocols[entry] = (byte) protocol;
        masks[entry] = (byte) mask;
        addresses[entry * 4] = sourceHigh;
        addresses[entry * 4 + 1] = sourceLow;
        addresses[entry * 4 + 2] = destinationHigh;
        addresses[entry * 4 + 3] = destinationLow;
        sourcePorts[entry] = sourcePort;
        destinationPorts[entry] = request.destinationPort;
        hashes[entry] = hash;
        parents[entry] = parent;
        parentSessionIds[entry] = parentSessionId;
        algIds[entry] = (byte) algId;
        setPayload(entry, request, timeoutNanos, nowNanos);
        // Append to the parent's list: its head is its oldest entry.
        nextOfParent[entry] = NONE;
        previousOfParent[entry] = parentTail[parent];
        if (parentTail[parent] == NONE) {
            parentHead[parent] = entry;
        } else {
            nextOfParent[parentTail[parent]] = entry;
        }
        parentTail[parent] = entry;
        parentCount[parent]++;
        insertIndex(hash, entry + 1);
        counters[AlgEvent.EXPECTATION_CREATED.ordinal()]++;
        statistics.count(algId, AlgStatistic.EXPECTATIONS_CREATED);
        return ExpectationReason.CREATED;
    }

    private void setPayload(int entry, Expectation request, long timeoutNanos, long nowNanos) {
        translatesSource[entry] = request.translatesSource;
        newAddresses[entry * 4] = request.newSourceHigh;
        newAddresses[entry * 4 + 1] = request.newSourceLow;
        newSourcePorts[entry] = request.newSourcePort;
        translatesDestination[entry] = request.translatesDestination;
        newAddresses[entry * 4 + 2] = request.newDestinationHigh;
        newAddresses[entry * 4 + 3] = request.newDestinationLow;
        newDestinationPorts[entry] = request.newDestinationPort;
        expiresAtNanos[entry] = nowNanos + timeoutNanos;
        oneShot[entry] = request.oneShot;
        inspectsChild[entry] = request.inspectsChild;
    }

    /** {@link #find(int, boolean, long, long, int, long, long, int, long)} for an IPv4 flow. */
    public int find(int protocol, int sourceAddress, int sourcePort, int destinationAddress, int destinationPort,
            long nowNanos) {
        return find(protocol, false, AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(sourceAddress), sourcePort,
                AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(destinationAddress), destinationPort, nowNanos);
    }

    /**
     * The most specific live expectation a new flow with this tuple ({@link AlgAddress} form) matches, or
     * {@link #NONE}. Expired entries met on the way are removed. The entry stays until {@link #matched} is called.
     */
    public int find(int protocol, boolean isIpv6, long sourceHigh, long sourceLow, int sourcePort,
            long destinationHigh, long destinationLow, int destinationPort, long nowNanos) {
        if (freeCount == capacity) {
            return NONE;
        }
        int family = isIpv6 ? IPV6 : 0;
        for (int wildcards : MASKS) {
            int mask = wildcards | family;
            boolean anyAddress = (mask & ANY_SOURCE_ADDRESS) != 0;
            long high = anyAddress ? 0 : sourceHigh;
            long low = anyAddress ? 0 : sourceLow;
            int port = (mask & ANY_SOURCE_PORT) != 0 ? 0 : sourcePort;
            int hash = hash(protocol, high, low, port, destinationHigh, destinationLow, destinationPort, mask);
            int entry = lookup(hash, protocol, high, low, port, destinationHigh, destinationLow, destinationPort,
                    mask);
            if (entry == NONE) {
                continue;
            }
            if (nowNanos - expiresAtNanos[entry] >= 0) {
                expired(entry);
                continue;
            }
            return entry;
        }
        return NONE;
    }

    /** A flow became the child of {@code entry}: counts it and removes a one-shot entry. */
    public void matched(int entry) {
        counters[AlgEvent.EXPECTATION_MATCHED.ordinal()]++;
        statistics.count(algIds[entry], AlgStatistic.EXPECTATIONS_USED);
        if (oneShot[entry]) {
            remove(entry);
        }
    }

    /** Removes every expectation of {@code parent}: its session ended. */
    public void removeAllOf(int parent) {
        while (parentHead[parent] != NONE) {
            remove(parentHead[parent]);
            counters[AlgEvent.EXPECTATION_REMOVED_WITH_PARENT.ordinal()]++;
        }
    }

    /** How many expectations {@code parent} has pending (expired ones not yet removed included). */
    public int countOf(int parent) {
        return parentCount[parent];
    }

    /** Examines at most {@code maxEntries} entries from where the last call stopped; removes the expired ones. */
    public int expire(long nowNanos, int maxEntries) {
        int removed = 0;
        int budget = Math.min(maxEntries, capacity);
        for (int n = 0; n < budget; n++) {
            int entry = sweepCursor;
            sweepCursor = entry + 1 == capacity ? 0 : entry + 1;
            if (inUse[entry] && nowNanos - expiresAtNanos[entry] >= 0) {
                expired(entry);
                removed++;
            }
        }
        return removed;
    }

    public boolean translatesSource(int entry) {
        return translatesSource[entry];
    }

    /** The new source's high 64 bits ({@link AlgAddress}). */
    public long newSourceHigh(int entry) {
        return newAddresses[entry * 4];
    }

    public long newSourceLow(int entry) {
        return newAddresses[entry * 4 + 1];
    }

    /** {@link Expectation#KEEP_PORT} keeps the child's own source port. */
    public int newSourcePort(int entry) {
        return newSourcePorts[entry];
    }

    public boolean translatesDestination(int entry) {
        return translatesDestination[entry];
    }

    /** The new destination's high 64 bits ({@link AlgAddress}). */
    public long newDestinationHigh(int entry) {
        return newAddresses[entry * 4 + 2];
    }

    public long newDestinationLow(int entry) {
        return newAddresses[entry * 4 + 3];
    }

    /** {@link Expectation#KEEP_PORT} keeps the child's own destination port. */
    public int newDestinationPort(int entry) {
        return newDestinationPorts[entry];
    }

    public long parentSessionId(int entry) {
        return parentSessionIds[entry];
    }

    public int parent(int entry) {
        return parents[entry];
    }

    public int algId(int entry) {
        return algIds[entry];
    }

    /** Whether the parent's ALG inspects the child this entry admits ({@link Expectation#inspectChild()}). */
    public boolean inspectsChild(int entry) {
        return inspectsChild[entry];
    }

    public long expiresAtNanos(int entry) {
        return expiresAtNanos[entry];
    }

    /**
     * Every live expectation, in entry order (management path: allocates). Expired entries not yet swept are left
     * out, as {@link #find} would not match them.
     */
    public java.util.List<ExpectationView> views(long nowNanos) {
        java.util.List<ExpectationView> views = new java.util.ArrayList<>(size());
        for (int entry = 0; entry < capacity; entry++) {
            long left = expiresAtNanos[entry] - nowNanos;
            if (!inUse[entry] || left <= 0) {
                continue;
            }
            boolean isIpv6 = (masks[entry] & IPV6) != 0;
            int a = entry * 4;
            String source = (masks[entry] & ANY_SOURCE_ADDRESS) != 0 ? null
                    : AlgAddress.format(isIpv6, addresses[a], addresses[a + 1]);
            int sourcePort = (masks[entry] & ANY_SOURCE_PORT) != 0 ? ExpectationView.ANY : sourcePorts[entry];
            String newSource = translatesSource[entry]
                    ? AlgAddress.format(isIpv6, newAddresses[a], newAddresses[a + 1]) : null;
            String newDestination = translatesDestination[entry]
                    ? AlgAddress.format(isIpv6, newAddresses[a + 2], newAddresses[a + 3]) : null;
            views.add(new ExpectationView(dev.algd.engine.config.AlgId.values()[algIds[entry]],
                    parentSessionIds[entry], protocols[entry] & 0xff, isIpv6, source, sourcePort,
                    AlgAddress.format(isIpv6, addresses[a + 2], addresses[a + 3]), destinationPorts[entry],
                    newSource, translatesSource[entry] ? portOrAny(newSourcePorts[entry]) : ExpectationView.ANY,
                    newDestination,
                    translatesDestination[entry] ? portOrAny(newDestinationPorts[entry]) : ExpectationView.ANY,
                    (left + 999_999_999L) / 1_000_000_000L, oneShot[entry]));
        }
        return views;
    }

    private static int portOrAny(int port) {
        return port == Expectation.KEEP_PORT ? ExpectationView.ANY : port;
    }

    private void expired(int entry) {
        counters[AlgEvent.EXPECTATION_EXPIRED.ordinal()]++;
        statistics.count(algIds[entry], AlgStatistic.EXPECTATIONS_EXPIRED);
        remove(entry);
    }

    private void remove(int entry) {
        removeIndex(hashes[entry], entry + 1);
        int parent = parents[entry];
        int previous = previousOfParent[entry];
        int next = nextOfParent[entry];
        if (previous == NONE) {
            parentHead[parent] = next;
        } else {
            nextOfParent[previous] = next;
        }
        if (next == NONE) {
            parentTail[parent] = previous;
        } else {
            previousOfParent[next] = previous;
        }
        parentCount[parent]--;
        inUse[entry] = false;
        freeEntries[freeCount++] = entry;
    }

    private int lookup(int hash, int protocol, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh,
            long destinationLow, int destinationPort, int mask) {
        int i = hash & indexMask;
        while (true) {
            int value = indexEntries[i];
            if (value == 0) {
                return NONE;
            }
            int entry = value - 1;
            int a = entry * 4;
            if (indexHashes[i] == hash && (protocols[entry] & 0xff) == protocol && masks[entry] == mask
                    && addresses[a + 1] == sourceLow && addresses[a + 3] == destinationLow
                    && addresses[a] == sourceHigh && addresses[a + 2] == destinationHigh
                    && sourcePorts[entry] == sourcePort && destinationPorts[entry] == destinationPort) {
                return entry;
            }
            i = (i + 1) & indexMask;
        }
    }

    private int hash(int protocol, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh,
            long destinationLow, int destinationPort, int mask) {
        long h = hashSeed ^ (sourceLow ^ Long.rotateLeft(destinationLow, 32)) * 0x9E37_79B9_7F4A_7C15L;
        h = Long.rotateLeft(h, 31) ^ (sourceHigh ^ Long.rotateLeft(destinationHigh, 17)) * 0x94D0_49BB_1331_11EBL;
        h = Long.rotateLeft(h, 29)
                ^ ((long) (protocol << 8 | mask) << 32 | (sourcePort << 16 | destinationPort) & 0xffff_ffffL)
                * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    private void insertIndex(int hash, int value) {
        int i = hash & indexMask;
        while (indexEntries[i] != 0) {
            i = (i + 1) & indexMask;
        }
        indexEntries[i] = value;
        indexHashes[i] = hash;
    }

    private void removeIndex(int hash, int value) {
        int i = hash & indexMask;
        while (indexEntries[i] != value) {
            i = (i + 1) & indexMask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & indexMask;
            if (indexEntries[j] == 0) {
                break;
            }
            int home = indexHashes[j] & indexMask;
            boolean homeInRange = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeInRange) {
                indexEntries[hole] = indexEntries[j];
                indexHashes[hole] = indexHashes[j];
                hole = j;
            }
        }
        indexEntries[hole] = 0;
        indexHashes[hole] = 0;
    }
}
