package dev.algd.server.netconf;

import dev.algd.engine.AlgSessionEvent;
import dev.algd.engine.Engine;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.io.DataPlaneGroup;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opendaylight.netconf.api.xml.XmlUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * algd-session-table's {@code session-created} and {@code session-closed} notifications for ALG control sessions
 * and their children. Every {@value #DRAIN_INTERVAL_MILLIS} ms the engine's event ring is drained on the worker;
 * the events go out at most {@value #EVENTS_PER_SECOND} per second with bursts of {@value #BURST_EVENTS} (a
 * subscriber on a slow link must not fall behind a SYN flood through an ALG port). Events beyond that, and those
 * the engine's ring had no room for, are counted and reported by one {@code session-events-dropped} notification
 * per second at most. With nobody subscribed the ring is still drained and the events are discarded uncounted.
 */
final class SessionEventNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEventNotifications.class);

    static final long DRAIN_INTERVAL_MILLIS = 250;
    static final int EVENTS_PER_SECOND = 100;
    static final int BURST_EVENTS = 200;
    /** The ring holds 8192; four drains a second empty it faster than the rate lets events out. */
    static final int MAX_EVENTS_PER_DRAIN = 4096;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private record Drained(List<AlgSessionEvent> events, long overflowed) {
    }

    private final DataPlaneGroup dataPlane;
    private final NotificationStream stream;
    private final NotificationRateLimit rateLimit = new NotificationRateLimit(EVENTS_PER_SECOND, BURST_EVENTS,
            System.nanoTime());
    private long overflowedSeen;
    private long rateLimited;
    private long overflowed;
    private long lastDropReportNanos = System.nanoTime() - NANOS_PER_SECOND;

    SessionEventNotifications(DataPlaneGroup dataPlane, NotificationStream stream) {
        this.dataPlane = dataPlane;
        this.stream = stream;
    }

    /** Starts draining; call once the data plane runs, so that the engine is only ever touched by its worker. */
    void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::drainSafely, DRAIN_INTERVAL_MILLIS, DRAIN_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void drainSafely() {
        try {
            drain();
        } catch (RuntimeException e) {
            // A stuck worker must not end the schedule: the next drain tries again.
            LOG.warn("draining ALG session events failed: {}", e.getMessage());
        }
    }

    synchronized void drain() {
        Drained drained = dataPlane.query((Engine engine) -> new Drained(
                engine.drainAlgSessionEvents(MAX_EVENTS_PER_DRAIN), engine.algSessionEventsOverflowed()),
                (a, b) -> new Drained(LiveStateBroker.concat(a.events(), b.events()),
                        a.overflowed() + b.overflowed()));
        long newlyOverflowed = drained.overflowed() - overflowedSeen;
        overflowedSeen = drained.overflowed();
        if (!stream.hasSubscribers()) {
            return;
        }
        overflowed += newlyOverflowed;
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        for (AlgSessionEvent event : drained.events()) {
            if (!rateLimit.tryTake(now)) {
                rateLimited++;
                continue;
            }
            stream.publish(notification(event), wallNow.minusNanos(Math.max(0, now - event.atNanos())));
        }
        if ((rateLimited > 0 || overflowed > 0) && now - lastDropReportNanos >= NANOS_PER_SECOND) {
            stream.publish(dropped(rateLimited, overflowed), wallNow);
            rateLimited = 0;
            overflowed = 0;
            lastDropReportNanos = now;
        }
    }

    static Document notification(AlgSessionEvent event) {
        Document document = XmlUtil.newDocument();
        boolean created = event.kind() == AlgSessionEvent.Kind.CREATED;
        Element root = document.createElementNS(ClearSessions.NAMESPACE, created ? "session-created" : "session-closed");
        document.appendChild(root);
        append(root, "id", Long.toUnsignedString(event.id()));
        append(root, "parent", Long.toUnsignedString(event.parentId()));
        append(root, "alg", event.alg().yangName());
        append(root, "protocol-number", Integer.toString(event.protocol()));
        append(root, "source-address", addressText(event.sourceAddress()));
        append(root, "source-port", Integer.toString(event.sourcePort()));
        append(root, "destination-address", addressText(event.destinationAddress()));
        append(root, "destination-port", Integer.toString(event.destinationPort()));
        append(root, "translated-address", addressText(event.translatedAddress()));
        append(root, "translated-port", Integer.toString(event.translatedPort()));
        if (!created) {
            append(root, "reason", YangEnums.name(event.reason()));
        }
        return document;
    }

    /** An IPv6 address in RFC 5952 text, as the session table shows it; an IPv4 one dotted. */
    private static String addressText(InetAddress address) {
        return address instanceof Inet6Address ? Ipv6Address.parse(address.getHostAddress()).toString()
                : address.getHostAddress();
    }

    private static Document dropped(long rateLimited, long overflowed) {
        Document document = XmlUtil.newDocument();
        Element root = document.createElementNS(ClearSessions.NAMESPACE, "session-events-dropped");
        document.appendChild(root);
        append(root, "rate-limited", Long.toString(rateLimited));
        append(root, "overflowed", Long.toString(overflowed));
        return document;
    }

    private static void append(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(ClearSessions.NAMESPACE, name);
        element.setTextContent(text);
        parent.appendChild(element);
    }
}
