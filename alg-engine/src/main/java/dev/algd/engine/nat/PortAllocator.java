package dev.algd.engine.nat;

import dev.algd.engine.session.SessionTable;

/**
 * Picks the translated port (or ICMP echo identifier, RFC 5508 §3.1) of a new source-NATed session. A port is free
 * when no live session has the reply key {@code (protocol, remote, remotePort, translatedAddress, port)}: that is
 * the key return traffic will carry, so it must lead to exactly one session.
 * <p>
 * Port preservation first (RFC 4787 §4.2.1): the original port is kept when it is free and allowed. Otherwise the
 * search starts at a point that depends only on the inside endpoint, so one inside endpoint tends to get the same
 * outside port towards every destination (close to the
 * endpoint-independent mapping of RFC 4787 §4.1, but not guaranteed: there is no mapping table yet, and two inside
 * endpoints may share an outside port towards different remotes). The search is bounded by
 * {@link #MAX_PROBES} candidates, as Linux's nf_nat bounds its attempts, so a nearly exhausted range costs a bounded
 * amount of work per new flow.
 */
public final class PortAllocator {
    public static final int NO_FREE_PORT = -1;
    static final int MAX_PROBES = 1024;

    private final SessionTable sessions;
    // The flow being allocated for, set by allocate or allocate6 (one worker: no sharing).
    private boolean isIpv6;
    private int remoteAddress;
    private int translatedAddress;
    private long remoteHigh;
    private long remoteLow;
    private long translatedHigh;
    private long translatedLow;

    public PortAllocator(SessionTable sessions) {
        this.sessions = sessions;
    }

    /**
     * A free port in {@code first..last} (or the original port, see above), or {@link #NO_FREE_PORT}.
     *
     * @param keepsAnyOriginalPort whether the original port may be kept although it is outside {@code first..last}
     */
    public int allocate(int protocol, int insideAddress, int originalPort, int translatedAddress,
            int remoteAddress, int remotePort, int first, int last, boolean keepsAnyOriginalPort, long nowNanos) {
        isIpv6 = false;
        this.remoteAddress = remoteAddress;
        this.translatedAddress = translatedAddress;
        return allocate(protocol, mix(insideAddress, originalPort), originalPort, remotePort, first, last,
                keepsAnyOriginalPort, nowNanos);
    }

    /** {@link #allocate} for an IPv6 flow (NAPT66), against a session table that holds IPv6 keys. */
    public int allocate6(int protocol, long insideHigh, long insideLow, int originalPort, long translatedHigh,
            long translatedLow, long remoteHigh, long remoteLow, int remotePort, int first, int last,
            boolean keepsAnyOriginalPort, long nowNanos) {
        isIpv6 = true;
        this.remoteHigh = remoteHigh;
        this.remoteLow = remoteLow;
        this.translatedHigh = translatedHigh;
        this.translatedLow = translatedLow;
        int inside = (int) (insideHigh ^ insideHigh >>> 32 ^ insideLow ^ insideLow >>> 32);
        return allocate(protocol, mix(inside, originalPort), originalPort, remotePort, first, last,
                keepsAnyOriginalPort, nowNanos);
    }

    private int allocate(int protocol, int insideHash, int originalPort, int remotePort, int first, int last,
            boolean keepsAnyOriginalPort, long nowNanos) {
        boolean originalAllowed = keepsAnyOriginalPort || originalPort >= first && originalPort <= last;
        if (originalAllowed && isFree(protocol, remotePort, originalPort, nowNanos)) {
            return originalPort;
        }
        int size = last - first + 1;
        int start = Math.floorMod(insideHash, size);
        int probes = Math.min(size, MAX_PROBES);
        for (int n = 0; n < probes; n++) {
            int offset = start + n;
            int port = first + (offset >= size ? offset - size : offset);
            if (isFree(protocol, remotePort, port, nowNanos)) {
                return port;
            }
        }
        return NO_FREE_PORT;
    }

    /** Whether no session's key is the reply from the remote end to the translated address and {@code port}. */
    private boolean isFree(int protocol, int remotePort, int port, long nowNanos) {
        if (isIpv6) {
            return !sessions.isKeyInUse6(protocol, remoteHigh, remoteLow, remotePort, translatedHigh, translatedLow,
                    port, nowNanos);
        }
        return !sessions.isKeyInUse(protocol, remoteAddress, remotePort, translatedAddress, port, nowNanos);
    }

    private static int mix(int address, int port) {
        int h = (address ^ port * 0x85EB_CA6B) * 0x9E37_79B9;
        return h ^ h >>> 15;
    }
}
