package dev.algd.engine;

import dev.algd.engine.config.AlgId;
import java.net.InetAddress;

/**
 * An ALG session (a control session or one of its children) was created or removed: one entry drained from
 * {@link AlgSessionEvents}, for management. Addresses are {@link InetAddress} so that IPv6 sessions fit unchanged.
 *
 * @param atNanos the engine's clock ({@link System#nanoTime()}) when it happened
 * @param parentId 0 for a control session
 * @param translatedAddress the source after SNAT, equal to the source when untranslated
 * @param reason null for a creation
 */
public record AlgSessionEvent(Kind kind, long atNanos, long id, long parentId, AlgId alg, int protocol,
        InetAddress sourceAddress, int sourcePort, InetAddress destinationAddress, int destinationPort,
        InetAddress translatedAddress, int translatedPort, CloseReason reason) {

    public enum Kind { CREATED, CLOSED }

    /** Why a session went: its TCP connection closed (FIN or RST seen), it stayed idle, or an operator cleared it. */
    public enum CloseReason { CLOSED, IDLE_TIMEOUT, CLEARED }
}
