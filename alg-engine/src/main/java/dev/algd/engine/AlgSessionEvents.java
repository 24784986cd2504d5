package dev.algd.engine;

import dev.algd.engine.config.AlgId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of ALG session creations and removals, filled by the worker as they happen and drained by
 * management between batches ({@code DataPlane.query}), so both sides run on the worker thread and need no
 * synchronisation. Every field is a primitive in an array sized at construction: recording allocates nothing.
 * When the ring is full, the new event is dropped and counted ({@link #overflowed()}): the packet path never waits
 * for management. Addresses are kept as 128 bits (IPv4 as IPv4-mapped IPv6, RFC 4291 §2.5.5.2) so that IPv6
 * sessions need no new layout.
 */
public final class AlgSessionEvents {
    /** Enough for a burst of 2048 FTP transfers (control and data, each created and closed) between two drains. */
    public static final int DEFAULT_CAPACITY = 8192;

    private static final AlgSessionEvent.Kind[] KINDS = AlgSessionEvent.Kind.values();
    private static final AlgSessionEvent.CloseReason[] REASONS = AlgSessionEvent.CloseReason.values();
    private static final AlgId[] ALGS = AlgId.values();
    /** Per event, addresses in this order, each as two longs (high, low). */
    private static final int SOURCE = 0;
    private static final int DESTINATION = 1;
    private static final int TRANSLATED = 2;

    private final int mask;
    private final byte[] kinds;
    private final long[] atNanos;
    private final long[] ids;
    private final long[] parentIds;
    private final byte[] algs;
    private final byte[] protocols;
    /** Per event: three addresses of two longs each. */
    private final long[] addresses;
    /** Per event: source, destination, translated port. */
    private final int[] ports;
    /** The close reason's ordinal + 1, 0 for a creation. */
    private final byte[] reasons;
    private long head;
    private long tail;
    private long overflowed;

    public AlgSessionEvents(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("event ring capacity " + capacity + " is not a power of two");
        }
        mask = capacity - 1;
        kinds = new byte[capacity];
        atNanos = new long[capacity];
        ids = new long[capacity];
        parentIds = new long[capacity];
        algs = new byte[capacity];
        protocols = new byte[capacity];
        addresses = new long[capacity * 6];
        ports = new int[capacity * 3];
        reasons = new byte[capacity];
    }

    /**
     * Records one session event of either family, addresses in {@link dev.algd.engine.alg.AlgAddress} form;
     * {@code reason} is null for a creation. Drops it (and counts) when the ring is full.
     */
    void record(AlgSessionEvent.Kind kind, long nowNanos, long id, long parentId, int algOrdinal, int protocol,
            long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow,
            int destinationPort, long translatedHigh, long translatedLow, int translatedPort,
            AlgSessionEvent.CloseReason reason) {
        if (tail - head > mask) {
            overflowed++;
            return;
        }
        int i = (int) (tail & mask);
        kinds[i] = (byte) kind.ordinal();
        atNanos[i] = nowNanos;
        ids[i] = id;
        parentIds[i] = parentId;
        algs[i] = (byte) algOrdinal;
        protocols[i] = (byte) protocol;
        int a = i * 6;
        addresses[a + SOURCE * 2] = sourceHigh;
        addresses[a + SOURCE * 2 + 1] = sourceLow;
        addresses[a + DESTINATION * 2] = destinationHigh;
        addresses[a + DESTINATION * 2 + 1] = destinationLow;
        addresses[a + TRANSLATED * 2] = translatedHigh;
        addresses[a + TRANSLATED * 2 + 1] = translatedLow;
        ports[i * 3] = sourcePort;
        ports[i * 3 + 1] = destinationPort;
        ports[i * 3 + 2] = translatedPort;
        reasons[i] = (byte) (reason == null ? 0 : reason.ordinal() + 1);
        tail++;
    }

    /** Events recorded and not yet drained. */
    public int size() {
        return (int) (tail - head);
    }

    /** Events dropped because the ring was full, since the engine started. */
    public long overflowed() {
        return overflowed;
    }

    /** Takes up to {@code max} events, oldest first (management path: allocates the records). */
    public List<AlgSessionEvent> drain(int max) {
        int count = (int) Math.min(max, tail - head);
        List<AlgSessionEvent> drained = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int i = (int) (head & mask);
            int reason = reasons[i];
            drained.add(new AlgSessionEvent(KINDS[kinds[i]], atNanos[i], ids[i], parentIds[i], ALGS[algs[i]],
                    protocols[i] & 0xff, address(i, SOURCE), ports[i * 3], address(i, DESTINATION), ports[i * 3 + 1],
                    address(i, TRANSLATED), ports[i * 3 + 2], reason == 0 ? null : REASONS[reason - 1]));
            head++;
        }
        return drained;
    }

    private InetAddress address(int event, int which) {
        long high = addresses[event * 6 + which * 2];
        long low = addresses[event * 6 + which * 2 + 1];
        byte[] bytes;
        if (dev.algd.engine.alg.AlgAddress.isIpv4(high, low)) {
            bytes = new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
        } else {
            bytes = new byte[16];
            for (int b = 0; b < 8; b++) {
                bytes[b] = (byte) (high >>> (56 - 8 * b));
                bytes[8 + b] = (byte) (low >>> (56 - 8 * b));
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
