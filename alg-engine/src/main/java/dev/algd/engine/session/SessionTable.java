package dev.algd.engine.session;

import java.security.SecureRandom;

/**
 * All sessions of one worker, in primitive arrays sized once at start: nothing here allocates after the
 * constructor.
 * <p>
 * Laid out for the established-flow fast path, where every packet of a flow the caches have forgotten costs a miss per
 * cache line it touches: a slot is a record of two 64-byte lines in one {@code long[]} ({@link #STRIDE}), the first
 * holding the keys the lookup compares and the state (protocol, TCP state, ALG, expiry, ids), the second the route
 * cache and the counters. With the index probe that is three lines per packet, where a column per field made it a
 * dozen, and the two record lines are fetched at once. What no packet touches (interface names, IPv6 addresses, the
 * free list, the in-use bitmap) stays in arrays of its own.
 * <p>
 * A session lives in a <em>slot</em> and has two keys, one per {@link Direction}: the 5-tuple its original packets
 * carry and the 5-tuple its reply packets carry (after translation, so a NATed flow's reply key has the translated
 * address and port as destination). Both keys point at the slot through one open-addressing index with linear
 * probing, kept at most half full and cleaned by backward-shift deletion ({@link HashIndex}), so there are no
 * tombstones. The hash is seeded per table so that outside hosts cannot aim collisions at it.
 * <p>
 * Lookups return {@code slot << 1 | direction}. Expiry is lazy and incremental: a lookup that hits an expired
 * session removes it and reports a miss, and {@link #expire(long, int)} sweeps a bounded slice of slots per call
 * to give memory back. Times are {@link System#nanoTime()} values compared by subtraction, so they may wrap.
 */
public final class SessionTable {
    /** {@link #find} and {@link #findById}: no live session has that key or id. */
    public static final int NOT_FOUND = -1;
    /** {@link #create}: every slot holds a live session. */
    public static final int TABLE_FULL = -1;
    /** {@link #create}: one of the two keys already belongs to a live session. */
    public static final int KEY_IN_USE = -2;
    /** {@link #create}: the source already holds as many sessions as {@link #limitSessionsPerSource} allows. */
    public static final int SOURCE_LIMIT = -3;
    /** Slots {@link #evictUnreplied} looks at for a session to give up when the table is full. */
    static final int EVICTION_SLOTS = 128;
    /** {@link #algSlot}: the session has no per-session ALG state. */
    public static final int NO_ALG_SLOT = -1;
    /** The most slots a table may have: its records must fit one Java array. */
    public static final int MAX_CAPACITY = 1 << 26;

    /**
     * Told when a session with an ALG is removed (a control session holding an ALG slot, or a child with
     * {@link #NO_ALG_SLOT}), so that the slot and its expectations go with it. The slot's key, ids and state are
     * still readable during the call.
     */
    @FunctionalInterface
    public interface RemovalListener {
        void sessionRemoved(int slot, int algSlot);
    }

    /** When no slot is free, {@link #create} sweeps this many slots for an expired session before giving up. */
    static final int RECLAIM_SLOTS = 64;

    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int PROTOCOL_GRE = 47;
    private static final int CLASS_TCP = 0;
    private static final int CLASS_UDP = 1;
    private static final int CLASS_OTHER = 2;
    private static final int CLASS_GRE = 3;
    private static final int NEW = SessionState.NEW.ordinal();
    private static final int ES = SessionState.ES.ordinal();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int capacity;
    private final long hashSeed;
    private final long[] timeoutNanos;

    /** Keys to {@code slot << 1 | direction}. */
    private final HashIndex index;

    /** Longs per slot: two cache lines. */
    private static final int STRIDE = 16;
    /**
     * Where slot 0 starts: HotSpot puts a long[]'s first element 16 bytes into the array, and G1 starts an array
     * larger than half a heap region (any table of more than a few thousand slots) on a region boundary, so this pad
     * makes every record two whole, adjacent cache lines. Under another layout a record merely straddles one more
     * line: slower, never wrong.
     */
    private static final int ORIGIN = (128 - 16) / Long.BYTES;
    // Line 1: the keys, which the lookup compares, and what the packet's state depends on.
    /** Per direction: {@code sourceAddress << 32 | destinationAddress} (IPv4 tables; 0 in IPv6 ones). */
    private static final int ADDRESSES = 0;
    /** {@code originalPorts << 32 | replyPorts}, each {@code sourcePort << 16 | destinationPort}. */
    private static final int PORTS = 2;
    /** Protocol, state, TCP aux, flags, ALG id and ALG slot: the {@code META_} shifts. */
    private static final int META = 3;
    private static final int EXPIRES_AT = 4;
    private static final int ID = 5;
    private static final int PARENT_ID = 6;
    /** {@code originalHash << 32 | replyHash}, to find the index entries again on removal. */
    private static final int KEY_HASHES = 7;
    // Line 2: the route cache, read right after the lookup, so that this line's miss overlaps the first one's, and
    // the counters the packet writes last.
    /** Per direction: the cached route. Word 11 is free. */
    private static final int ROUTES = 8;
    /** {@code originalGeneration << 32 | replyGeneration}. */
    private static final int ROUTE_GENERATIONS = 10;
    /** Per direction: packets, bytes. */
    private static final int COUNTERS = 12;

    private static final int META_STATE = 8;
    private static final int META_TCP_AUX = 16;
    /** Bits the engine defines (features such as firewall or ALG), 0 at creation. */
    private static final int META_FLAGS = 24;
    /** The ALG's id + 1 (4 bits), 0 for none (shown even when the session holds no ALG slot, as children do). */
    private static final int META_ALG_ID = 32;
    /** The ALG slot + 1 (28 bits), 0 for {@link #NO_ALG_SLOT}. */
    private static final int META_ALG_SLOT = 36;
    /** The most ALG ids and ALG slots that fit their bits. */
    private static final int MAX_ALG_IDS = 15;
    private static final int MAX_ALG_SLOTS = (1 << 28) - 1;

    private final long[] records;
    /**
     * One bit per slot, set while it holds a session: the expiry sweep and the management scans pass over free slots
     * without reading a record line each.
     */
    private final long[] inUse;
    /** Per slot: the same four addresses as high and low 64 bits each (IPv6 tables only, else empty). */
    private final long[] addresses6;
    /** Whether the keys are IPv6: then the session ids carry {@link #IPV6_ID_BIT}. */
    private final boolean isIpv6;
    private RemovalListener removalListener;
    private final String[] interfaceNames;

    private final int[] freeSlots;
    private int freeCount;
    private SourceCounts sourceCounts;
    private int maxPerSource;
    private long evictedCount;
    private int sweepCursor;
    private int size;
    private long nextId = 1;
    /** Session ids carry their slot in these low bits, so {@link #findById} needs no scan and no index. */
    private final int slotBits;
    private long createdCount;
    private long expiredCount;

    /**
     * Set in the ids of an IPv6 table's sessions, so that an engine with one table per family finds a session by id
     * in the right one.
     */
    public static final long IPV6_ID_BIT = 1L << 62;
    /** Where a multi-worker data plane puts the worker's index in the ids of its engine's sessions (6 bits). */
    public static final int WORKER_ID_SHIFT = 56;
    public static final int MAX_WORKERS = 64;
    /** Or-ed into every id: the worker index, so that ids stay unique across workers' tables. */
    private long idPrefix;

    public SessionTable(int capacity, Timeouts timeouts) {
        this(capacity, timeouts, new SecureRandom().nextLong());
    }

    public SessionTable(int capacity, Timeouts timeouts, long hashSeed) {
        this(capacity, timeouts, hashSeed, false);
    }

    /** A table whose keys are IPv6 addresses: use the {@code find6}/{@code create6} family of methods on it. */
    public static SessionTable forIpv6(int capacity, Timeouts timeouts) {
        return new SessionTable(capacity, timeouts, new SecureRandom().nextLong(), true);
    }

    public SessionTable(int capacity, Timeouts timeouts, long hashSeed, boolean isIpv6) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("session capacity " + capacity + " is outside 1.." + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.slotBits = 32 - Integer.numberOfLeadingZeros(capacity - 1);
        this.hashSeed = hashSeed;
        this.timeoutNanos = timeoutTable(timeouts);
        this.isIpv6 = isIpv6;
        records = new long[ORIGIN + capacity * STRIDE];
        inUse = new long[(capacity + 63) >>> 6];
        index = new HashIndex(capacity * 2, capacity * 2,
                value -> half(records[at(value >>> 1) + KEY_HASHES], value & 1));
        addresses6 = new long[isIpv6 ? capacity * 8 : 0];
        interfaceNames = new String[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    private static long[] timeoutTable(Timeouts timeouts) {
        int states = SessionState.count();
        long[] table = new long[4 * states];
        for (int s = 0; s < states; s++) {
            SessionState state = SessionState.ofOrdinal(s);
            table[CLASS_TCP * states + s] = timeouts.tcpSeconds(state) * NANOS_PER_SECOND;
            table[CLASS_UDP * states + s] = timeouts.udpSeconds(state) * NANOS_PER_SECOND;
            table[CLASS_OTHER * states + s] = timeouts.icmpEchoSeconds() * NANOS_PER_SECOND;
            table[CLASS_GRE * states + s] = timeouts.greSeconds(state) * NANOS_PER_SECOND;
        }
        return table;
    }

    public int capacity() {
        return capacity;
    }

    /** Sessions holding a slot, including expired ones that no lookup or sweep has removed yet. */
    public int size() {
        return size;
    }

    public long createdCount() {
        return createdCount;
    }

    public long expiredCount() {
        return expiredCount;
    }

    public static int slotOf(int found) {
        return found >>> 1;
    }

    public static int directionOf(int found) {
        return found & 1;
    }

    /**
     * The live session one of whose keys is this 5-tuple, as {@code slot << 1 | direction}, or {@link #NOT_FOUND}.
     * An expired session met on the way is removed.
     */
    public int find(int protocol, int sourceAddress, int sourcePort, int destinationAddress, int destinationPort,
            long nowNanos) {
        int packedPorts = sourcePort << 16 | destinationPort & 0xffff;
        int hash = hash(protocol, sourceAddress, destinationAddress, packedPorts);
        long packedAddresses = pair(sourceAddress, destinationAddress);
        for (int i = index.home(hash); ; i = index.next(i)) {
            int entry = index.at(i);
            if (entry == 0) {
                return NOT_FOUND;
            }
            if (index.isCandidate(entry, hash)) {
                int found = index.valueOf(entry);
                int at = at(found >>> 1);
                int key = found & 1;
                if (records[at + ADDRESSES + key] == packedAddresses && half(records[at + PORTS], key) == packedPorts
                        && ((int) records[at + META] & 0xff) == protocol) {
                    return liveOrExpired(found, at, nowNanos);
                }
            }
        }
    }

    /** A lookup's hit: {@code found}, or {@link #NOT_FOUND} after removing it if it has expired. */
    private int liveOrExpired(int found, int at, long nowNanos) {
        if (nowNanos - records[at + EXPIRES_AT] >= 0) {
            remove(found >>> 1);
            expiredCount++;
            return NOT_FOUND;
        }
        return found;
    }

    /** Where {@code slot}'s record starts in {@link #records}. */
    private static int at(int slot) {
        return ORIGIN + slot * STRIDE;
    }

    /** The {@code direction} half of a word holding an original-direction int above a reply-direction one. */
    private static int half(long word, int direction) {
        return (int) (word >>> (32 - (direction << 5)));
    }

    private static long withHalf(long word, int direction, int value) {
        int shift = 32 - (direction << 5);
        return word & ~(0xFFFF_FFFFL << shift) | (value & 0xFFFF_FFFFL) << shift;
    }

    /** Two ints in one word, {@code high} above {@code low}: two addresses, or one value per direction. */
    private static long pair(int high, int low) {
        return (long) high << 32 | low & 0xFFFF_FFFFL;
    }

    /** Whether a live session has this 5-tuple as one of its keys. */
    public boolean isKeyInUse(int protocol, int sourceAddress, int sourcePort, int destinationAddress,
            int destinationPort, long nowNanos) {
        return find(protocol, sourceAddress, sourcePort, destinationAddress, destinationPort, nowNanos) != NOT_FOUND;
    }

    /** {@link #find} in an IPv6 table: addresses as high and low 64 bits. */
    public int find6(int protocol, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh,
            long destinationLow, int destinationPort, long nowNanos) {
        int packedPorts = sourcePort << 16 | destinationPort & 0xffff;
        int hash = hash(protocol, fold(sourceHigh, sourceLow), fold(destinationHigh, destinationLow), packedPorts);
        for (int i = index.home(hash); ; i = index.next(i)) {
            int entry = index.at(i);
            if (entry == 0) {
                return NOT_FOUND;
            }
            if (index.isCandidate(entry, hash)) {
                int found = index.valueOf(entry);
                int at = at(found >>> 1);
                int key = found & 1;
                int at6 = (found >>> 1) * 8 + key * 4;
                if (((int) records[at + META] & 0xff) == protocol && half(records[at + PORTS], key) == packedPorts
                        && addresses6[at6] == sourceHigh && addresses6[at6 + 1] == sourceLow
                        && addresses6[at6 + 2] == destinationHigh && addresses6[at6 + 3] == destinationLow) {
                    return liveOrExpired(found, at, nowNanos);
                }
            }
        }
    }

    /** {@link #isKeyInUse} in an IPv6 table. */
    public boolean isKeyInUse6(int protocol, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh,
            long destinationLow, int destinationPort, long nowNanos) {
        return find6(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort,
                nowNanos) != NOT_FOUND;
    }

    /**
     * {@link #create} in an IPv6 table: the original key (source, destination) and the reply key (reply source,
     * reply destination), addresses as high and low 64 bits.
     */
    public int create6(int protocol,
            long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow,
            int destinationPort,
            long replySourceHigh, long replySourceLow, int replySourcePort,
            long replyDestinationHigh, long replyDestinationLow, int replyDestinationPort,
            int tcpFlags, String interfaceName, long parentId, long nowNanos) {
        int originalPorts = sourcePort << 16 | destinationPort & 0xffff;
        int replyPorts = replySourcePort << 16 | replyDestinationPort & 0xffff;
        if (sourceHigh == replySourceHigh && sourceLow == replySourceLow && destinationHigh == replyDestinationHigh
                && destinationLow == replyDestinationLow && originalPorts == replyPorts) {
            return KEY_IN_USE;
        }
        if (isKeyInUse6(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow,
                destinationPort, nowNanos)
                || isKeyInUse6(protocol, replySourceHigh, replySourceLow, replySourcePort, replyDestinationHigh,
                        replyDestinationLow, replyDestinationPort, nowNanos)) {
            return KEY_IN_USE;
        }
        if (sourceCounts != null && sourceCounts.count(sourceHigh) >= maxPerSource) {
            return SOURCE_LIMIT;
        }
        if (freeCount == 0 && !makeRoom(nowNanos)) {
            return TABLE_FULL;
        }
        int slot = freeSlots[--freeCount];
        int at = slot * 8;
        addresses6[at] = sourceHigh;
        addresses6[at + 1] = sourceLow;
        addresses6[at + 2] = destinationHigh;
        addresses6[at + 3] = destinationLow;
        addresses6[at + 4] = replySourceHigh;
        addresses6[at + 5] = replySourceLow;
        addresses6[at + 6] = replyDestinationHigh;
        addresses6[at + 7] = replyDestinationLow;
        occupy(slot, protocol, originalPorts, replyPorts,
                hash(protocol, fold(sourceHigh, sourceLow), fold(destinationHigh, destinationLow), originalPorts),
                hash(protocol, fold(replySourceHigh, replySourceLow), fold(replyDestinationHigh, replyDestinationLow),
                        replyPorts),
                tcpFlags, interfaceName, parentId, nowNanos);
        if (sourceCounts != null) {
            sourceCounts.increment(sourceHigh);
        }
        return slot;
    }

    /** An IPv6 address folded to 32 bits for the key hash (the seeded mix in {@link #hash} follows). */
    private static int fold(long high, long low) {
        long x = high * 0x9E37_79B9_7F4A_7C15L ^ low;
        return (int) (x ^ x >>> 32);
    }

    /**
     * Creates a session from its original key and its reply key, in state SS/ES (TCP, from {@code tcpFlags}) or
     * NEW, expiring one state timeout from now. Returns the slot, {@link #KEY_IN_USE} or {@link #TABLE_FULL}.
     * The first packet is not counted: call {@link #track} for it.
     */
    public int create(int protocol,
            int sourceAddress, int sourcePort, int destinationAddress, int destinationPort,
            int replySourceAddress, int replySourcePort, int replyDestinationAddress, int replyDestinationPort,
            int tcpFlags, String interfaceName, long parentId, long nowNanos) {
        int originalPorts = sourcePort << 16 | destinationPort & 0xffff;
        int replyPorts = replySourcePort << 16 | replyDestinationPort & 0xffff;
        if (sourceAddress == replySourceAddress && destinationAddress == replyDestinationAddress
                && originalPorts == replyPorts) {
            return KEY_IN_USE;
        }
        if (isKeyInUse(protocol, sourceAddress, sourcePort, destinationAddress, destinationPort, nowNanos)
                || isKeyInUse(protocol, replySourceAddress, replySourcePort, replyDestinationAddress,
                        replyDestinationPort, nowNanos)) {
            return KEY_IN_USE;
        }
        if (sourceCounts != null && sourceCounts.count(sourceAddress & 0xFFFF_FFFFL) >= maxPerSource) {
            return SOURCE_LIMIT;
        }
        if (freeCount == 0 && !makeRoom(nowNanos)) {
            return TABLE_FULL;
        }
        int slot = freeSlots[--freeCount];
        records[at(slot) + ADDRESSES + Direction.ORIGINAL] = pair(sourceAddress, destinationAddress);
        records[at(slot) + ADDRESSES + Direction.REPLY] = pair(replySourceAddress, replyDestinationAddress);
        occupy(slot, protocol, originalPorts, replyPorts,
                hash(protocol, sourceAddress, destinationAddress, originalPorts),
                hash(protocol, replySourceAddress, replyDestinationAddress, replyPorts),
                tcpFlags, interfaceName, parentId, nowNanos);
        if (sourceCounts != null) {
            sourceCounts.increment(sourceAddress & 0xFFFF_FFFFL);
        }
        return slot;
    }

    /**
     * At most {@code max} live sessions per source (an IPv4 address; the /64 of an IPv6 one), counted in original
     * direction; a new flow beyond it is refused ({@link #SOURCE_LIMIT}). Call once, before the first session.
     */
    public void limitSessionsPerSource(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("per-source session limit " + max + " is below 1");
        }
        sourceCounts = new SourceCounts(capacity);
        maxPerSource = max;
    }

    /** The source key of the session in {@code slot}, as {@link SourceCounts} counts it. */
    private long sourceKey(int slot) {
        return isIpv6 ? addresses6[slot * 8] : records[at(slot) + ADDRESSES + Direction.ORIGINAL] >>> 32;
    }

    /**
     * A full table: reclaim an expired session, else give up one that never saw a reply (Linux conntrack's early
     * drop of connections not yet assured): a flood of unanswered SYNs or probes cannot lock out flows that work.
     * Sessions that saw a reply are never evicted; then the new flow is refused.
     */
    private boolean makeRoom(long nowNanos) {
        if (expire(nowNanos, RECLAIM_SLOTS, RECLAIM_SLOTS) > 0) {
            return true;
        }
        return evictUnreplied();
    }

    /** Removes the first session without reply packets among {@link #EVICTION_SLOTS} slots from the sweep cursor. */
    private boolean evictUnreplied() {
        for (int n = 0; n < Math.min(EVICTION_SLOTS, capacity); n++) {
            int slot = sweepCursor;
            sweepCursor = slot + 1 == capacity ? 0 : slot + 1;
            if (isInUse(slot) && records[at(slot) + COUNTERS + Direction.REPLY * 2] == 0) {
                remove(slot);
                evictedCount++;
                return true;
            }
        }
        return false;
    }

    /** Sessions given up to make room for a new flow ({@link #evictUnreplied}). */
    public long evictedCount() {
        return evictedCount;
    }

    /** Fills the family-independent columns of a freshly taken slot and indexes both its keys. */
    private void occupy(int slot, int protocol, int originalPorts, int replyPorts, int originalHash, int replyHash,
            int tcpFlags, String interfaceName, long parentId, long nowNanos) {
        int at = at(slot);
        int state = protocol == PROTOCOL_TCP ? TcpStateMachine.initialState(tcpFlags) : NEW;
        records[at + PORTS] = pair(originalPorts, replyPorts);
        records[at + META] = (long) state << META_STATE | protocol & 0xff;
        inUse[slot >>> 6] |= 1L << slot;
        records[at + EXPIRES_AT] = nowNanos + timeoutNanos[timeoutClass(protocol) * SessionState.count() + state];
        records[at + ROUTES + Direction.ORIGINAL] = 0;
        records[at + ROUTES + Direction.REPLY] = 0;
        records[at + ROUTE_GENERATIONS] = 0;
        for (int c = 0; c < 4; c++) {
            records[at + COUNTERS + c] = 0;
        }
        // The counter wraps below the worker bits rather than into them.
        records[at + ID] = (nextId++ << slotBits & (1L << WORKER_ID_SHIFT) - 1) | slot | (isIpv6 ? IPV6_ID_BIT : 0)
                | idPrefix;
        records[at + PARENT_ID] = parentId;
        records[at + KEY_HASHES] = pair(originalHash, replyHash);
        interfaceNames[slot] = interfaceName;
        index.insert(originalHash, slot << 1 | Direction.ORIGINAL);
        index.insert(replyHash, slot << 1 | Direction.REPLY);
        size++;
        createdCount++;
    }

    /**
     * Accounts one packet of {@code bytes} (IP total length) travelling in {@code direction}: counters, state
     * (TCP flags, or NEW to ES on the first reply) and the idle timeout of the resulting state.
     */
    public void track(int slot, int direction, int tcpFlags, int bytes, long nowNanos) {
        int at = at(slot);
        int counters = at + COUNTERS + direction * 2;
        records[counters]++;
        records[counters + 1] += bytes;
        long meta = records[at + META];
        int protocol = (int) meta & 0xff;
        int state = (int) (meta >>> META_STATE) & 0xff;
        int aux = (int) (meta >>> META_TCP_AUX) & 0xff;
        if (protocol == PROTOCOL_TCP) {
            int packed = TcpStateMachine.next(state, aux, tcpFlags, direction);
            state = TcpStateMachine.state(packed);
            aux = TcpStateMachine.aux(packed) & 0xff;
        } else if (direction == Direction.REPLY) {
            state = ES;
        }
        records[at + META] = meta & ~(0xFFFFL << META_STATE) | (long) state << META_STATE | (long) aux << META_TCP_AUX;
        records[at + EXPIRES_AT] = nowNanos + timeoutNanos[timeoutClass(protocol) * SessionState.count() + state];
    }

    /**
     * Gives the reply key of a session the destination port it lacked (0 until now), for flows whose reply "port" is
     * learnt from the first reply: a PPTP GRE reply carries the originator's call id, which no packet of the original
     * direction shows (RFC 2637 §4.1). Returns false, changing nothing, if the key already had a destination port or
     * the new key belongs to a live session.
     */
    public boolean learnReplyDestinationPort(int slot, int destinationPort, long nowNanos) {
        int at = at(slot);
        int replyPorts = half(records[at + PORTS], Direction.REPLY);
        if ((replyPorts & 0xffff) != 0 || destinationPort == 0) {
            return false;
        }
        int protocol = protocol(slot);
        int sourcePort = replyPorts >>> 16;
        int packed = sourcePort << 16 | destinationPort & 0xffff;
        int hash;
        if (isIpv6) {
            long sourceHigh = sourceHigh(slot, Direction.REPLY);
            long sourceLow = sourceLow(slot, Direction.REPLY);
            long destinationHigh = destinationHigh(slot, Direction.REPLY);
            long destinationLow = destinationLow(slot, Direction.REPLY);
            if (isKeyInUse6(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow,
                    destinationPort, nowNanos)) {
                return false;
            }
            hash = hash(protocol, fold(sourceHigh, sourceLow), fold(destinationHigh, destinationLow), packed);
        } else {
            int source = sourceAddress(slot, Direction.REPLY);
            int destination = destinationAddress(slot, Direction.REPLY);
            if (isKeyInUse(protocol, source, sourcePort, destination, destinationPort, nowNanos)) {
                return false;
            }
            hash = hash(protocol, source, destination, packed);
        }
        int value = slot << 1 | Direction.REPLY;
        index.remove(half(records[at + KEY_HASHES], Direction.REPLY), value);
        records[at + PORTS] = withHalf(records[at + PORTS], Direction.REPLY, packed);
        records[at + KEY_HASHES] = withHalf(records[at + KEY_HASHES], Direction.REPLY, hash);
        index.insert(hash, value);
        return true;
    }

    /** Removes the session in {@code slot} and frees both its keys. */
    public void remove(int slot) {
        if (!isInUse(slot)) {
            return;
        }
        int at = at(slot);
        long meta = records[at + META];
        long hashes = records[at + KEY_HASHES];
        index.remove(half(hashes, Direction.ORIGINAL), slot << 1 | Direction.ORIGINAL);
        index.remove(half(hashes, Direction.REPLY), slot << 1 | Direction.REPLY);
        inUse[slot >>> 6] &= ~(1L << slot);
        interfaceNames[slot] = null;
        if (sourceCounts != null) {
            sourceCounts.decrement(sourceKey(slot));
        }
        if ((meta & -1L << META_ALG_ID) != 0) {
            // Only then is the record written: removing a plain session leaves its lines clean.
            int algSlot = algSlot(slot);
            records[at + META] = meta & ~(-1L << META_ALG_SLOT);
            if (removalListener != null) {
                removalListener.sessionRemoved(slot, algSlot);
            }
        }
        freeSlots[freeCount++] = slot;
        size--;
    }

    private boolean isInUse(int slot) {
        return (inUse[slot >>> 6] & 1L << slot) != 0;
    }

    /**
     * Examines at most {@code maxSlots} slots, continuing where the previous call stopped, and removes the expired
     * sessions among them, stopping early once {@code maxRemovals} were removed (a removal costs far more than a
     * look at a slot, so this bounds the call's time when many sessions are due at once). A full round over the
     * table takes at least {@code capacity / maxSlots} calls. Returns how many sessions were removed.
     */
    public int expire(long nowNanos, int maxSlots, int maxRemovals) {
        int removed = 0;
        int budget = Math.min(maxSlots, capacity);
        for (int n = 0; n < budget && removed < maxRemovals; n++) {
            int slot = sweepCursor;
            sweepCursor = slot + 1 == capacity ? 0 : slot + 1;
            if (isInUse(slot) && nowNanos - records[at(slot) + EXPIRES_AT] >= 0) {
                remove(slot);
                expiredCount++;
                removed++;
            }
        }
        return removed;
    }

    /** Whether {@code slot} holds a session that has not expired at {@code nowNanos}. */
    public boolean isLive(int slot, long nowNanos) {
        return isInUse(slot) && nowNanos - records[at(slot) + EXPIRES_AT] < 0;
    }

    /**
     * The slot of the live session with this id, or {@link #NOT_FOUND}. An id is a creation number shifted left past
     * the slot bits, with the slot in them: ids grow in creation order, are never reused, and name their slot.
     */
    /**
     * Makes every id created from now on carry worker index {@code worker} in bits {@value #WORKER_ID_SHIFT}..61, so
     * that the ids of several workers' tables never collide and name their worker.
     */
    public void workerIndex(int worker) {
        if (worker < 0 || worker >= MAX_WORKERS) {
            throw new IllegalArgumentException("worker index " + worker + " is outside 0.." + (MAX_WORKERS - 1));
        }
        idPrefix = (long) worker << WORKER_ID_SHIFT;
    }

    /** The worker index an id carries ({@link #workerIndex}). */
    public static int workerOf(long id) {
        return (int) (id >>> WORKER_ID_SHIFT) & (MAX_WORKERS - 1);
    }

    public int findById(long id, long nowNanos) {
        if (id <= 0) {
            return NOT_FOUND;
        }
        long slot = id & ((1L << slotBits) - 1);
        if ((id & IPV6_ID_BIT) != 0 != isIpv6 || slot >= capacity || records[at((int) slot) + ID] != id
                || !isLive((int) slot, nowNanos)) {
            return NOT_FOUND;
        }
        return (int) slot;
    }

    public long id(int slot) {
        return records[at(slot) + ID];
    }

    public long parentId(int slot) {
        return records[at(slot) + PARENT_ID];
    }

    public int protocol(int slot) {
        return (int) records[at(slot) + META] & 0xff;
    }

    /** The source address of packets travelling in {@code direction}. */
    public int sourceAddress(int slot, int direction) {
        return (int) (records[at(slot) + ADDRESSES + direction] >>> 32);
    }

    public int destinationAddress(int slot, int direction) {
        return (int) records[at(slot) + ADDRESSES + direction];
    }

    /** The high 64 bits of the source address of packets travelling in {@code direction} (IPv6 tables). */
    public long sourceHigh(int slot, int direction) {
        return addresses6[slot * 8 + direction * 4];
    }

    public long sourceLow(int slot, int direction) {
        return addresses6[slot * 8 + direction * 4 + 1];
    }

    public long destinationHigh(int slot, int direction) {
        return addresses6[slot * 8 + direction * 4 + 2];
    }

    public long destinationLow(int slot, int direction) {
        return addresses6[slot * 8 + direction * 4 + 3];
    }

    /** Whether this table's keys are IPv6 ({@link #forIpv6}). */
    public boolean isIpv6() {
        return isIpv6;
    }

    /** The source port (ICMP echo: the identifier of requests, 0 for replies) of packets in {@code direction}. */
    public int sourcePort(int slot, int direction) {
        return half(records[at(slot) + PORTS], direction) >>> 16;
    }

    public int destinationPort(int slot, int direction) {
        return half(records[at(slot) + PORTS], direction) & 0xffff;
    }

    /** Set once by the engine: called from {@link #remove} (lookups, sweeps) for sessions with an ALG. */
    public void removalListener(RemovalListener listener) {
        this.removalListener = listener;
    }

    /** The ALG (an {@code AlgId} ordinal) of this session, or -1. */
    public int algId(int slot) {
        return (int) (records[at(slot) + META] >>> META_ALG_ID & 0xf) - 1;
    }

    /** The slot of this session's per-session ALG state, or {@link #NO_ALG_SLOT}. */
    public int algSlot(int slot) {
        return (int) (records[at(slot) + META] >>> META_ALG_SLOT) - 1;
    }

    /** Assigns an ALG ({@code AlgId} ordinal) and, for sessions it inspects, the slot of their ALG state. */
    public void assignAlg(int slot, int algId, int algSlot) {
        if (algId < -1 || algId >= MAX_ALG_IDS || algSlot < NO_ALG_SLOT || algSlot >= MAX_ALG_SLOTS) {
            throw new IllegalArgumentException("ALG " + algId + " slot " + algSlot + " is outside -1.."
                    + (MAX_ALG_IDS - 1) + " and -1.." + (MAX_ALG_SLOTS - 1));
        }
        int at = at(slot);
        records[at + META] = records[at + META] & ~(-1L << META_ALG_ID)
                | (long) (algId + 1) << META_ALG_ID | (long) (algSlot + 1) << META_ALG_SLOT;
    }

    /** The engine's bits for this session (0..255); the table never interprets them. */
    public int flags(int slot) {
        return (int) (records[at(slot) + META] >>> META_FLAGS) & 0xff;
    }

    public void addFlags(int slot, int bits) {
        records[at(slot) + META] |= (long) (bits & 0xff) << META_FLAGS;
    }

    public SessionState state(int slot) {
        return SessionState.ofOrdinal((int) (records[at(slot) + META] >>> META_STATE) & 0xff);
    }

    public long expiresAtNanos(int slot) {
        return records[at(slot) + EXPIRES_AT];
    }

    /** The name of the interface the session's first packet arrived on. */
    public String interfaceName(int slot) {
        return interfaceNames[slot];
    }

    public long packets(int slot, int direction) {
        return records[at(slot) + COUNTERS + direction * 2];
    }

    public long bytes(int slot, int direction) {
        return records[at(slot) + COUNTERS + direction * 2 + 1];
    }

    /**
     * The route cached for packets in {@code direction}, valid only while {@link #routeGeneration} equals the
     * caller's current generation (the engine bumps it on every config apply). Generation 0 means none cached.
     */
    public long cachedRoute(int slot, int direction) {
        return records[at(slot) + ROUTES + direction];
    }

    public int routeGeneration(int slot, int direction) {
        return half(records[at(slot) + ROUTE_GENERATIONS], direction);
    }

    public void cacheRoute(int slot, int direction, int generation, long route) {
        int at = at(slot);
        records[at + ROUTES + direction] = route;
        records[at + ROUTE_GENERATIONS] = withHalf(records[at + ROUTE_GENERATIONS], direction, generation);
    }

    private static int timeoutClass(int protocol) {
        if (protocol == PROTOCOL_TCP) {
            return CLASS_TCP;
        }
        if (protocol == PROTOCOL_GRE) {
            return CLASS_GRE;
        }
        return protocol == PROTOCOL_UDP ? CLASS_UDP : CLASS_OTHER;
    }

    private int hash(int protocol, int sourceAddress, int destinationAddress, int packedPorts) {
        long h = hashSeed ^ ((long) sourceAddress << 32 | destinationAddress & 0xffff_ffffL) * 0x9E37_79B9_7F4A_7C15L;
        h = Long.rotateLeft(h, 29) ^ ((long) protocol << 32 | packedPorts & 0xffff_ffffL) * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }


}
