package dev.algd.io;

import java.lang.foreign.MemorySegment;

/**
 * The IPv4 neighbours of one interface (or, built with {@link #forIpv6}, its IPv6 neighbours, learned through
 * neighbour discovery, RFC 4861 §7, with the same timers): next hop to Ethernet address, learned through ARP (RFC 826), with the few
 * packets that wait while an address is being resolved (RFC 1122 §2.3.2.2: keep at least one, drop the oldest or
 * the newest beyond that). Pure: it never touches a socket, it tells an {@link Output} what to send, and time
 * comes in as an argument. Single-threaded (the data-plane worker); nothing is allocated after construction.
 * <p>
 * Life of an entry (timers as Linux's defaults for {@code /proc/sys/net/ipv4/neigh/*}):
 * <pre>
 *   resolve() of an unknown address ──> INCOMPLETE: broadcast request, hold up to 4 packets;
 *        retransmit every 1 s (retrans_time_ms), after 3 requests (mcast_solicit) drop them and forget the entry
 *   ARP reply or request from it ──> RESOLVED (confirmed now), held packets sent in order
 *   RESOLVED for 30 s (base_reachable_time) ──> still used; each use sends a unicast refresh request, at most one
 *        per second; 3 unanswered refreshes forget the entry; an entry unconfirmed for 90 s is forgotten
 *        (30 s plus gc_stale_time 60 s)
 * </pre>
 * Learning follows RFC 826's merge rule: any ARP packet updates an address already in the table; a new entry is
 * made only when algd is the target ({@code create}). The table is open addressing with linear probing and
 * backward-shift deletion, so it needs no tombstones.
 */
final class NeighbourTable {

    /** What the table needs done; the interface implementing it owns the socket. */
    interface Output {
        /** Send an ARP request for {@code address} to {@code destinationMac} ({@link Ethernet#BROADCAST} or unicast). */
        void sendArpRequest(int address, long destinationMac);

        /** Send a held IP packet (L3 bytes, IPv4 or IPv6) to {@code mac} now that its next hop is resolved. */
        void transmitHeld(long mac, MemorySegment segment, long offset, int length);

        /**
         * Send a neighbour solicitation for the IPv6 address {@code high:low} to {@code destinationMac}
         * ({@link Ethernet#BROADCAST} asks for the solicited-node multicast, RFC 4861 §7.2.2). Only IPv6 tables
         * call it.
         */
        void sendNeighbourSolicitation(long high, long low, long destinationMac);
    }

    static final long NO_MAC = -1;
    static final long RETRANSMIT_NANOS = 1_000_000_000L;
    static final int MAX_REQUESTS = 3;
    static final long REACHABLE_NANOS = 30_000_000_000L;
    static final long STALE_NANOS = 60_000_000_000L;
    static final int MAX_HELD_PER_NEIGHBOUR = 4;

    static final int DEFAULT_CAPACITY = 1024;
    static final int DEFAULT_HOLD_SLOTS = 64;
    /** A held packet must fit a TX frame anyway (2016 bytes with 2048-byte ring frames). */
    static final int DEFAULT_HOLD_SLOT_BYTES = 2048;

    private static final byte EMPTY = 0;
    private static final byte INCOMPLETE = 1;
    private static final byte RESOLVED = 2;

    private final Output output;
    private final long[] drops;
    private final int capacity;
    private final int mask;
    private final int shift;
    /** Per slot: the address, as high and low 64 bits; an IPv4 address is 0 and its unsigned value. */
    private final long[] highs;
    private final long[] lows;
    private final boolean isIpv6;
    private final long[] macs;
    private final byte[] states;
    private final long[] confirmedAt;
    private final long[] lastRequestAt;
    private final byte[] requests;
    private final int[] heldFirst;
    private final int[] heldLast;
    private final byte[] heldCount;
    private int size;

    private final MemorySegment holdBuffer;
    private final int holdSlotBytes;
    private final int[] holdLength;
    private final int[] holdNext;
    private int freeHold;
    private int heldTotal;

    NeighbourTable(Output output, long[] drops) {
        this(output, drops, DEFAULT_CAPACITY, DEFAULT_HOLD_SLOTS, DEFAULT_HOLD_SLOT_BYTES, false);
    }

    /** A table of IPv6 neighbours: use the {@code ...6} methods; requests go out as neighbour solicitations. */
    static NeighbourTable forIpv6(Output output, long[] drops) {
        return new NeighbourTable(output, drops, DEFAULT_CAPACITY, DEFAULT_HOLD_SLOTS, DEFAULT_HOLD_SLOT_BYTES, true);
    }

    NeighbourTable(Output output, long[] drops, int capacity, int holdSlots, int holdSlotBytes) {
        this(output, drops, capacity, holdSlots, holdSlotBytes, false);
    }

    /**
     * @param drops the worker's drop counters, indexed by {@link FrameDropReason#ordinal()}
     * @param capacity most neighbours at once
     * @param holdSlots packets that may wait for ARP across all neighbours
     * @param holdSlotBytes the largest packet that may wait
     */
    private NeighbourTable(Output output, long[] drops, int capacity, int holdSlots, int holdSlotBytes,
            boolean isIpv6) {
        if (capacity < 1 || capacity > 1 << 20 || holdSlots < 0 || holdSlotBytes < 20) {
            throw new IllegalArgumentException("neighbour table of " + capacity + " entries and " + holdSlots
                    + " hold slots of " + holdSlotBytes + " bytes");
        }
        this.output = output;
        this.drops = drops;
        this.capacity = capacity;
        int slots = Integer.highestOneBit(capacity) << 1;   // load factor at most 1/2
        this.mask = slots - 1;
        this.shift = 32 - Integer.numberOfTrailingZeros(slots);
        highs = new long[slots];
        lows = new long[slots];
        this.isIpv6 = isIpv6;
        macs = new long[slots];
        states = new byte[slots];
        confirmedAt = new long[slots];
        lastRequestAt = new long[slots];
        requests = new byte[slots];
        heldFirst = new int[slots];
        heldLast = new int[slots];
        heldCount = new byte[slots];
        holdBuffer = MemorySegment.ofArray(new byte[holdSlots * holdSlotBytes]);
        this.holdSlotBytes = holdSlotBytes;
        holdLength = new int[holdSlots];
        holdNext = new int[holdSlots];
        for (int h = 0; h < holdSlots; h++) {
            holdNext[h] = h + 1 < holdSlots ? h + 1 : -1;
        }
        freeHold = holdSlots > 0 ? 0 : -1;
    }

    /**
     * The Ethernet address of {@code address}, or {@link #NO_MAC}. When unknown, the packet {@code [offset,
     * offset + length)} is copied and held (or dropped and counted) and the first request goes out.
     */
    long resolve(int address, MemorySegment segment, long offset, int length, long nowNanos) {
        return resolve6(0, address & 0xffff_ffffL, segment, offset, length, nowNanos);
    }

    /** {@link #resolve} in an IPv6 table ({@link #forIpv6}). */
    long resolve6(long high, long low, MemorySegment segment, long offset, int length, long nowNanos) {
        int slot = find(high, low);
        if (slot >= 0 && states[slot] == RESOLVED) {
            if (nowNanos - confirmedAt[slot] >= REACHABLE_NANOS) {
                refresh(slot, nowNanos);
            }
            return macs[slot];
        }
        if (slot < 0) {
            slot = insert(high, low);
            if (slot < 0) {
                drops[FrameDropReason.NEIGHBOUR_TABLE_FULL.ordinal()]++;
                return NO_MAC;
            }
            states[slot] = INCOMPLETE;
            macs[slot] = NO_MAC;
            requests[slot] = 1;
            lastRequestAt[slot] = nowNanos;
            request(slot, Ethernet.BROADCAST);
        }
        hold(slot, segment, offset, length);
        return NO_MAC;
    }

    /**
     * Records that {@code address} is at {@code mac} (RFC 826 merge). Creates an entry only when {@code create}
     * (algd was the ARP target) and otherwise only updates one. Sends the packets held for it.
     */
    void learn(int address, long mac, boolean create, long nowNanos) {
        learn6(0, address & 0xffff_ffffL, mac, create, nowNanos);
    }

    /** {@link #learn} in an IPv6 table (from a neighbour advertisement or a solicitation's source option). */
    void learn6(long high, long low, long mac, boolean create, long nowNanos) {
        int slot = find(high, low);
        if (slot < 0) {
            if (!create) {
                return;
            }
            slot = insert(high, low);
            if (slot < 0) {
                return;
            }
        }
        macs[slot] = mac;
        states[slot] = RESOLVED;
        confirmedAt[slot] = nowNanos;
        requests[slot] = 0;
        int h = heldFirst[slot];
        while (h >= 0) {
            output.transmitHeld(mac, holdBuffer, (long) h * holdSlotBytes, holdLength[h]);
            h = freeHeldHead(slot);
        }
    }

    /** Retransmits requests that are due and forgets neighbours that stopped answering; call about every 100 ms. */
    void age(long nowNanos) {
        int i = 0;
        while (i <= mask) {
            byte state = states[i];
            if (state == INCOMPLETE && nowNanos - lastRequestAt[i] >= RETRANSMIT_NANOS) {
                if (requests[i] < MAX_REQUESTS) {
                    requests[i]++;
                    lastRequestAt[i] = nowNanos;
                    request(i, Ethernet.BROADCAST);
                } else {
                    dropHeld(i, FrameDropReason.NEIGHBOUR_UNREACHABLE);
                    delete(i);
                    continue;   // another entry may have moved into slot i
                }
            } else if (state == RESOLVED) {
                boolean refreshUnanswered = requests[i] >= MAX_REQUESTS
                        && nowNanos - lastRequestAt[i] >= RETRANSMIT_NANOS;
                if (refreshUnanswered || nowNanos - confirmedAt[i] >= REACHABLE_NANOS + STALE_NANOS) {
                    delete(i);
                    continue;
                }
            }
            i++;
        }
    }

    /** Forgets every neighbour; held packets are dropped and counted under {@code reason}. */
    void clear(FrameDropReason reason) {
        for (int i = 0; i <= mask; i++) {
            if (states[i] != EMPTY) {
                dropHeld(i, reason);
                states[i] = EMPTY;
            }
        }
        size = 0;
    }

    /** The known Ethernet address of {@code address}, or {@link #NO_MAC} (no side effects). */
    long lookup(int address) {
        return lookup6(0, address & 0xffff_ffffL);
    }

    /** {@link #lookup} in an IPv6 table. */
    long lookup6(long high, long low) {
        int slot = find(high, low);
        return slot >= 0 && states[slot] == RESOLVED ? macs[slot] : NO_MAC;
    }

    /** Neighbours in the table, resolved or not. */
    int size() {
        return size;
    }

    /** Packets waiting for ARP. */
    int heldPackets() {
        return heldTotal;
    }

    private void refresh(int slot, long nowNanos) {
        if (requests[slot] < MAX_REQUESTS
                && (requests[slot] == 0 || nowNanos - lastRequestAt[slot] >= RETRANSMIT_NANOS)) {
            requests[slot]++;
            lastRequestAt[slot] = nowNanos;
            request(slot, macs[slot]);
        }
    }

    /** Asks for the address in {@code slot}: an ARP request, or in an IPv6 table a neighbour solicitation. */
    private void request(int slot, long destinationMac) {
        if (isIpv6) {
            output.sendNeighbourSolicitation(highs[slot], lows[slot], destinationMac);
        } else {
            output.sendArpRequest((int) lows[slot], destinationMac);
        }
    }

    private void hold(int slot, MemorySegment segment, long offset, int length) {
        if (heldCount[slot] >= MAX_HELD_PER_NEIGHBOUR) {
            drops[FrameDropReason.NEIGHBOUR_QUEUE_FULL.ordinal()]++;
            return;
        }
        if (length > holdSlotBytes || length < 0) {
            drops[FrameDropReason.EXCEEDS_MTU.ordinal()]++;
            return;
        }
        int h = freeHold;
        if (h < 0) {
            drops[FrameDropReason.HOLD_BUFFERS_EXHAUSTED.ordinal()]++;
            return;
        }
        freeHold = holdNext[h];
        MemorySegment.copy(segment, offset, holdBuffer, (long) h * holdSlotBytes, length);
        holdLength[h] = length;
        holdNext[h] = -1;
        if (heldCount[slot] == 0) {
            heldFirst[slot] = h;
        } else {
            holdNext[heldLast[slot]] = h;
        }
        heldLast[slot] = h;
        heldCount[slot]++;
        heldTotal++;
    }

    /** Frees the first held packet of {@code slot}; returns the next one, or -1. */
    private int freeHeldHead(int slot) {
        int h = heldFirst[slot];
        int next = holdNext[h];
        holdNext[h] = freeHold;
        freeHold = h;
        heldFirst[slot] = next;
        heldCount[slot]--;
        heldTotal--;
        if (next < 0) {
            heldLast[slot] = -1;
        }
        return next;
    }

    private void dropHeld(int slot, FrameDropReason reason) {
        int h = heldCount[slot] > 0 ? heldFirst[slot] : -1;
        while (h >= 0) {
            drops[reason.ordinal()]++;
            h = freeHeldHead(slot);
        }
    }

    private int home(long high, long low) {
        long folded = high * 0x9E37_79B9_7F4A_7C15L ^ low;
        int key = isIpv6 ? (int) (folded ^ folded >>> 32) : (int) low;
        return (key * 0x9E37_79B1) >>> shift;
    }

    private int find(long high, long low) {
        int i = home(high, low);
        for (int probes = 0; probes <= mask; probes++) {
            if (states[i] == EMPTY) {
                return -1;
            }
            if (lows[i] == low && highs[i] == high) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Claims a slot for an address known to be absent; -1 when the table holds {@link #capacity} entries. */
    private int insert(long high, long low) {
        if (size >= capacity) {
            return -1;
        }
        int i = home(high, low);
        while (states[i] != EMPTY) {
            i = (i + 1) & mask;   // terminates: at most half the slots are used
        }
        highs[i] = high;
        lows[i] = low;
        states[i] = INCOMPLETE;
        macs[i] = NO_MAC;
        confirmedAt[i] = 0;
        lastRequestAt[i] = 0;
        requests[i] = 0;
        heldFirst[i] = -1;
        heldLast[i] = -1;
        heldCount[i] = 0;
        size++;
        return i;
    }

    /** Empties {@code slot} (its held packets must be gone) and shifts later entries of its probe run back. */
    private void delete(int slot) {
        int hole = slot;
        states[hole] = EMPTY;
        size--;
        int j = hole;
        for (int step = 0; step < mask; step++) {
            j = (j + 1) & mask;
            if (states[j] == EMPTY) {
                return;
            }
            int home = home(highs[j], lows[j]);
            // The entry at j may fill the hole if the hole lies on its probe path, i.e. in [home, j) cyclically.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                highs[hole] = highs[j];
                lows[hole] = lows[j];
                macs[hole] = macs[j];
                states[hole] = states[j];
                confirmedAt[hole] = confirmedAt[j];
                lastRequestAt[hole] = lastRequestAt[j];
                requests[hole] = requests[j];
                heldFirst[hole] = heldFirst[j];
                heldLast[hole] = heldLast[j];
                heldCount[hole] = heldCount[j];
                states[j] = EMPTY;
                hole = j;
            }
        }
    }
}
