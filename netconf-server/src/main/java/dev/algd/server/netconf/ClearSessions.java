package dev.algd.server.netconf;

import dev.algd.engine.SessionFilter;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.Ipv6Address;
import dev.algd.io.DataPlaneGroup;
import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.api.xml.XmlUtil;
import org.opendaylight.netconf.server.api.operations.AbstractNetconfOperation.OperationNameAndNamespace;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The {@code clear-sessions} rpc of algd-session-table: removes the matching sessions from the engine. */
final class ClearSessions implements NetconfOperation {
    static final String NAMESPACE = "urn:algd:yang:algd-session-table";

    private final DataPlaneGroup dataPlane;

    ClearSessions(DataPlaneGroup dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        var operation = new OperationNameAndNamespace(message);
        return "clear-sessions".equals(operation.getOperationName()) && NAMESPACE.equals(operation.getNamespace())
                ? HandlingPriority.HANDLE_WITH_MAX_PRIORITY : null;
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) {
        SessionFilter filter;
        try {
            filter = filter(request);
        } catch (IllegalArgumentException e) {
            return RpcReplies.failure(request, "application", "invalid-value", e.getMessage());
        }
        int cleared = dataPlane.query(engine -> engine.clearSessions(filter, System.nanoTime()), Integer::sum);
        Document reply = XmlUtil.newDocument();
        Element rpcReply = reply.createElementNS(NamespaceURN.BASE, "rpc-reply");
        var attributes = request.getDocumentElement().getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            rpcReply.setAttributeNode((Attr) reply.importNode(attributes.item(i), true));
        }
        Element count = reply.createElementNS(NAMESPACE, "cleared");
        count.setTextContent(Integer.toString(cleared));
        rpcReply.appendChild(count);
        reply.appendChild(rpcReply);
        return reply;
    }

    private static SessionFilter filter(Document request) {
        Element operation = (Element) request.getElementsByTagNameNS(NAMESPACE, "clear-sessions").item(0);
        Long id = null;
        Integer protocol = null;
        Ipv6Address address = null;
        Integer port = null;
        AlgId alg = null;
        for (Node node = operation.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof Element element)) {
                continue;
            }
            String text = element.getTextContent().strip();
            String name = element.getLocalName();
            try {
                switch (name) {
                    case "id" -> id = Long.parseUnsignedLong(text);
                    case "protocol" -> protocol = bounded(name, text, 255);
                    case "address" -> address = SessionFilter.address(text);
                    case "port" -> port = bounded(name, text, 65535);
                    case "alg" -> alg = algNamed(text);
                    default -> throw new IllegalArgumentException("clear-sessions has no input '" + name + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("clear-sessions " + name + " '" + text + "' is not a number");
            }
        }
        return new SessionFilter(id, protocol, address, port, alg);
    }

    private static int bounded(String name, String text, int max) {
        int value = Integer.parseInt(text);
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("clear-sessions " + name + " " + value + " is outside 0.." + max);
        }
        return value;
    }

    private static AlgId algNamed(String text) {
        for (AlgId id : AlgId.values()) {
            if (id.yangName().equals(text)) {
                return id;
            }
        }
        throw new IllegalArgumentException("clear-sessions alg '" + text + "' is not an ALG");
    }
}
