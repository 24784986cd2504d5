package dev.algd.server.netconf;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opendaylight.netconf.api.xml.XmlUtil;
import org.opendaylight.netconf.server.api.monitoring.NetconfMonitoringService;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.sessions.Session;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * RFC 6470 {@code netconf-session-start} and {@code netconf-session-end}, from OpenDaylight's session monitoring.
 * The termination-reason is {@code closed} after a {@code <close-session>} ({@link CloseSession} notes it) and
 * {@code dropped} otherwise (the transport went: the client vanished, or SSH closed it idle). As in
 * netconf-config-change, the user name is what OpenDaylight knows, and source-host is left out.
 */
final class SessionLifecycleNotifications implements NetconfMonitoringService.SessionsListener {
    private final NotificationStream stream;
    private final Set<Long> closing = ConcurrentHashMap.newKeySet();

    SessionLifecycleNotifications(NotificationStream stream) {
        this.stream = stream;
    }

    /** The session asked to close: its end is {@code closed}, not {@code dropped}. */
    void closeRequested(long sessionId) {
        closing.add(sessionId);
    }

    @Override
    public void onSessionStarted(Session session) {
        if (stream.hasSubscribers()) {
            stream.publish(notification("netconf-session-start", session, null), Instant.now());
        }
    }

    @Override
    public void onSessionEnded(Session session) {
        boolean closed = closing.remove(session.getSessionId().longValue());
        if (stream.hasSubscribers()) {
            stream.publish(notification("netconf-session-end", session, closed ? "closed" : "dropped"), Instant.now());
        }
    }

    @Override
    public void onSessionsUpdated(Collection<Session> sessions) {
        // Periodic statistics: nothing to notify.
    }

    private static Document notification(String name, Session session, String terminationReason) {
        Document document = XmlUtil.newDocument();
        Element root = document.createElementNS(ConfigChangeNotifications.NAMESPACE, name);
        document.appendChild(root);
        append(root, "username", session.getUsername() == null ? "unknown" : session.getUsername());
        append(root, "session-id", Long.toString(session.getSessionId().longValue()));
        if (terminationReason != null) {
            append(root, "termination-reason", terminationReason);
        }
        return document;
    }

    private static void append(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(ConfigChangeNotifications.NAMESPACE, name);
        element.setTextContent(text);
        parent.appendChild(element);
    }
}
