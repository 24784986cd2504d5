package dev.algd.engine;

import dev.algd.engine.config.AlgId;

/**
 * Which sessions {@link Engine#clearSessions} removes; a null criterion matches any session, all given criteria
 * must match. An address or port matches on either side of the session, before or after translation.
 */
public record SessionFilter(Long id, Integer protocol, Integer address, Integer port, AlgId alg) {

    public static final SessionFilter ALL = new SessionFilter(null, null, null, null, null);

    public boolean matches(SessionView s) {
        return (id == null || id == s.id())
                && (protocol == null || protocol == s.protocol())
                && (address == null || address == s.sourceAddress() || address == s.destinationAddress()
                        || address == s.translatedAddress() || address == s.translatedDestinationAddress())
                && (port == null || port == s.sourcePort() || port == s.destinationPort()
                        || port == s.translatedPort() || port == s.translatedDestinationPort())
                && (alg == null || alg == s.alg());
    }
}
