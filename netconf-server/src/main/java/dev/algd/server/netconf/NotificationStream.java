package dev.algd.server.netconf;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NetconfSession;
import org.opendaylight.netconf.api.messages.NotificationMessage;
import org.opendaylight.netconf.api.xml.XmlElement;
import org.opendaylight.netconf.server.spi.SubtreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

/**
 * The RFC 5277 event stream {@value #NAME}, the only one algd has: every notification algd raises goes to every
 * session subscribed to it, through that session's subtree filter. No replay log is kept (replaySupport false),
 * so a subscriber sees only what happens after it subscribed.
 */
final class NotificationStream {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationStream.class);

    /** RFC 5277 §3.2.3: the default stream, which every server supporting notifications has. */
    static final String NAME = "NETCONF";

    private record Subscription(NetconfSession session, XmlElement filter) {
    }

    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();

    /** Subscribes {@code session}; false when it already has a subscription (RFC 5277 allows one per session). */
    boolean subscribe(long sessionId, NetconfSession session, XmlElement subtreeFilterOrNull) {
        return subscriptions.putIfAbsent(sessionId, new Subscription(session, subtreeFilterOrNull)) == null;
    }

    void unsubscribe(long sessionId) {
        subscriptions.remove(sessionId);
    }

    boolean hasSubscribers() {
        return !subscriptions.isEmpty();
    }

    /**
     * Sends {@code content} (the notification's one element, e.g. {@code <netconf-config-change>}) to every
     * subscriber whose filter selects it. Synchronized so that every subscriber sees notifications in one order.
     */
    synchronized void publish(Document content, Instant eventTime) {
        for (Subscription subscription : subscriptions.values()) {
            Document copy = (Document) content.cloneNode(true);
            if (subscription.filter() == null) {
                subscription.session().sendMessage(NotificationMessage.ofNotificationContent(copy, eventTime));
                continue;
            }
            try {
                // The filter expects a whole <notification>: wrap, filter, and send what the filter kept.
                Document whole = NotificationMessage.ofNotificationContent(copy, eventTime).getDocument();
                SubtreeFilter.applySubtreeNotificationFilter(subscription.filter(), whole).ifPresent(kept ->
                        subscription.session().sendMessage(NotificationMessage.ofNotificationContent(kept,
                                eventTime)));
            } catch (DocumentedException e) {
                // The filter was checked at create-subscription; a notification it cannot apply to is not sent.
                LOG.warn("notification {} not sent to a subscriber: its filter failed: {}",
                        content.getDocumentElement().getLocalName(), e.getMessage());
            }
        }
    }
}
