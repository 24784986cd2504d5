package dev.algd.engine.alg;

/**
 * Told of every expectation an ALG stores, so that a data plane with several workers (packet-io's MULTICORE.md)
 * can post it to the worker whose engine will see the child flow. Runs on the engine's thread, in the packet path:
 * it must not allocate or block.
 */
public interface ExpectationObserver {
    /**
     * An ALG of parent ALG slot {@code algSlot} (session {@code parentSessionId}) stored or refreshed
     * {@code request}. Returns true when the request was posted elsewhere, so that the parent's end is reported
     * through {@link #parentEnded}.
     */
    boolean expected(Expectation request, int algSlot, long parentSessionId, int algId, int maxPerParent,
            long timeoutNanos, long nowNanos);

    /** A parent whose {@link #expected} answered true ended: the copies of its expectations must go too. */
    void parentEnded(int algSlot, long parentSessionId);
}
