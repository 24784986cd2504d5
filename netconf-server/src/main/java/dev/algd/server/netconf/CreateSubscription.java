package dev.algd.server.netconf;

import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.api.NetconfSession;
import org.opendaylight.netconf.api.xml.XmlElement;
import org.opendaylight.netconf.server.api.operations.AbstractNetconfOperation.OperationNameAndNamespace;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.opendaylight.netconf.server.api.operations.SessionAwareNetconfOperation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@code <create-subscription>} (RFC 5277 §2.1.1) on the {@value NotificationStream#NAME} stream, with an optional
 * subtree filter. algd keeps no replay log, so {@code startTime}/{@code stopTime} are refused rather than ignored;
 * a second subscription on the same session is refused too. OpenDaylight's own CreateSubscription accepts any
 * stream name, answers a startTime with a Java exception and sends a notification unfiltered when its filter fails.
 */
final class CreateSubscription implements SessionAwareNetconfOperation {
    /** RFC 5277 §4: the namespace of create-subscription and its parameters. */
    static final String NAMESPACE = NamespaceURN.NOTIFICATION;

    private final NotificationStream stream;
    private final long sessionId;
    private NetconfSession session;

    CreateSubscription(NotificationStream stream, long sessionId) {
        this.stream = stream;
        this.sessionId = sessionId;
    }

    @Override
    public void setSession(NetconfSession session) {
        this.session = session;
    }

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        var operation = new OperationNameAndNamespace(message);
        return "create-subscription".equals(operation.getOperationName()) && NAMESPACE.equals(operation.getNamespace())
                ? HandlingPriority.HANDLE_WITH_MAX_PRIORITY : null;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        Element operation = (Element) request.getElementsByTagNameNS(NAMESPACE, "create-subscription").item(0);
        XmlElement filter = null;
        for (Node node = operation.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof Element element)) {
                continue;
            }
            String name = element.getLocalName();
            // RFC 5277 puts <filter> in its own namespace; ncclient (and others) send the base namespace's.
            boolean baseFilter = "filter".equals(name) && NamespaceURN.BASE.equals(element.getNamespaceURI());
            if (!NAMESPACE.equals(element.getNamespaceURI()) && !baseFilter) {
                return RpcReplies.failure(request, "protocol", "unknown-namespace", "create-subscription has no "
                        + "parameter <" + name + "> in namespace " + element.getNamespaceURI());
            }
            switch (name) {
                case "stream" -> {
                    String stream = element.getTextContent().strip();
                    if (!NotificationStream.NAME.equals(stream)) {
                        return RpcReplies.failure(request, "application", "invalid-value", "there is no event "
                                + "stream '" + stream + "'; algd has only the " + NotificationStream.NAME + " stream");
                    }
                }
                case "filter" -> {
                    String type = element.getAttribute("type");
                    if (!type.isEmpty() && !"subtree".equals(type)) {
                        return RpcReplies.failure(request, "protocol", "invalid-value", "filter type '" + type
                                + "' is not supported; algd filters notifications by subtree (RFC 6241 §6)");
                    }
                    Element subtree = (Element) element.cloneNode(true);
                    // RFC 5277 §2.1.1: the filter is a subtree filter unless it says otherwise.
                    subtree.setAttribute("type", "subtree");
                    filter = XmlElement.fromDomElement(subtree);
                }
                case "startTime", "stopTime" -> {
                    return RpcReplies.failure(request, "protocol", "operation-not-supported", "replay is not "
                            + "supported: the " + NotificationStream.NAME + " stream keeps no log of past "
                            + "notifications (replaySupport false); subscribe without " + name);
                }
                default -> {
                    return RpcReplies.failure(request, "protocol", "unknown-element", "create-subscription has no "
                            + "parameter <" + name + ">");
                }
            }
        }
        if (!stream.subscribe(sessionId, session, filter)) {
            return RpcReplies.failure(request, "protocol", "operation-failed", "this session already has a "
                    + "subscription, which lasts as long as the session; open another session for a second one");
        }
        return RpcReplies.ok(request);
    }
}
