package dev.algd.engine.testing;

import dev.algd.engine.SessionView;
import dev.algd.engine.config.Ipv6Address;
import java.util.List;

/** Finding a session in an engine's snapshot by what a test knows of it. */
public final class TestSessions {
    private TestSessions() {
    }

    /** The session whose original source is {@code source} (IPv4 or IPv6 text) port {@code port}; throws if none. */
    public static SessionView from(List<SessionView> sessions, String source, int port) {
        String wanted = source.indexOf(':') >= 0 ? Ipv6Address.parse(source).toString() : source;
        return sessions.stream()
                .filter(s -> s.sourceAddressText().equals(wanted) && s.sourcePort() == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session from " + source + " port " + port + " in " + sessions));
    }
}
