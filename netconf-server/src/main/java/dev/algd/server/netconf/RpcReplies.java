package dev.algd.server.netconf;

import dev.algd.engine.config.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.api.xml.XmlUtil;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * Builds RFC 6241 {@code <rpc-reply>} documents by hand, because OpenDaylight's DocumentedException cannot carry
 * error-path or error-app-tag, and a commit may break several rules at once (one rpc-error each).
 */
final class RpcReplies {
    /** Module prefixes for error-path, keyed by the top-level node each module defines. */
    private static final Map<String, String[]> TOP_LEVEL = Map.of(
            "system", new String[] {"algd-sys", "urn:algd:yang:algd-system"},
            "interfaces", new String[] {"algd-if", "urn:algd:yang:algd-interfaces"},
            "routing", new String[] {"algd-if", "urn:algd:yang:algd-interfaces"},
            "service", new String[] {"algd-nat", "urn:algd:yang:algd-nat"},
            "firewall", new String[] {"algd-fw", "urn:algd:yang:algd-firewall"});
    /** algd-firewall augments each interface with a {@code firewall} container. */
    private static final String[] FIREWALL_AUGMENT = {"algd-fw", "urn:algd:yang:algd-firewall"};

    private RpcReplies() {
    }

    static Document ok(Document request) {
        Document reply = XmlUtil.newDocument();
        Element rpcReply = replyElement(request, reply);
        rpcReply.appendChild(reply.createElementNS(NamespaceURN.BASE, "ok"));
        return reply;
    }

    /** A reply with an empty {@code <data>}, for a {@code <get>} whose filter selects nothing else. */
    static Document data(Document request) {
        Document reply = XmlUtil.newDocument();
        Element rpcReply = replyElement(request, reply);
        rpcReply.appendChild(reply.createElementNS(NamespaceURN.BASE, "data"));
        return reply;
    }

    /** One rpc-error per violation: error-type application, error-tag invalid-value. */
    static Document violations(Document request, List<Violation> violations) {
        Document reply = XmlUtil.newDocument();
        Element rpcReply = replyElement(request, reply);
        for (Violation violation : violations) {
            Element error = error(reply, rpcReply, "application", "invalid-value", violation.message());
            Element appTag = reply.createElementNS(NamespaceURN.BASE, "error-app-tag");
            appTag.setTextContent(violation.appTag());
            error.insertBefore(appTag, error.getElementsByTagNameNS(NamespaceURN.BASE, "error-message").item(0));
            Element path = reply.createElementNS(NamespaceURN.BASE, "error-path");
            qualify(violation.path(), path);
            error.insertBefore(path, error.getElementsByTagNameNS(NamespaceURN.BASE, "error-message").item(0));
        }
        return reply;
    }

    /** An rpc-error for a failure that is not a rule violation. */
    static Document failure(Document request, String type, String tag, String message) {
        Document reply = XmlUtil.newDocument();
        error(reply, replyElement(request, reply), type, tag, message);
        return reply;
    }

    /** unknown-element / unknown-namespace (RFC 6241 Appendix A): error-path of the parent, error-info naming it. */
    static Document unknown(Document request, UnknownNodes.Unknown unknown) {
        Document reply = withPath(request, "application", unknown.tag(), unknown.message(), unknown.parentPath(),
                unknown.prefixes());
        Element info = reply.createElementNS(NamespaceURN.BASE, "error-info");
        append(reply, info, "bad-element", unknown.badElement());
        if (unknown.badNamespace() != null) {
            append(reply, info, "bad-namespace", unknown.badNamespace());
        }
        reply.getElementsByTagNameNS(NamespaceURN.BASE, "rpc-error").item(0).appendChild(info);
        return reply;
    }

    /** One rpc-error with an error-path whose prefixes are declared on it. */
    static Document withPath(Document request, String type, String tag, String message, String instancePath,
            Map<String, String> prefixes) {
        Document reply = XmlUtil.newDocument();
        Element error = error(reply, replyElement(request, reply), type, tag, message);
        Element path = reply.createElementNS(NamespaceURN.BASE, "error-path");
        prefixes.forEach((prefix, ns) -> path.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + prefix, ns));
        path.setTextContent(instancePath.isEmpty() ? "/" : instancePath);
        error.insertBefore(path, error.getElementsByTagNameNS(NamespaceURN.BASE, "error-message").item(0));
        return reply;
    }

    /** An rpc-error answering a message whose message-id cannot be known (it did not parse). */
    static Document failureWithoutMessageId(String type, String tag, String message) {
        Document reply = XmlUtil.newDocument();
        Element rpcReply = reply.createElementNS(NamespaceURN.BASE, "rpc-reply");
        reply.appendChild(rpcReply);
        error(reply, rpcReply, type, tag, message);
        return reply;
    }

    /** lock-denied (RFC 6241 Appendix A) with the holder's session-id in error-info. */
    static Document lockDenied(Document request, long holder, String message) {
        return withSessionInfo(request, "lock-denied", holder, message);
    }

    /** in-use: the operation needs a datastore another session has locked. */
    static Document inUse(Document request, long holder, String message) {
        return withSessionInfo(request, "in-use", holder, message);
    }

    private static Document withSessionInfo(Document request, String tag, long holder, String message) {
        Document reply = XmlUtil.newDocument();
        Element error = error(reply, replyElement(request, reply), "protocol", tag, message);
        Element info = reply.createElementNS(NamespaceURN.BASE, "error-info");
        append(reply, info, "session-id", Long.toString(holder));
        error.appendChild(info);
        return reply;
    }

    private static Element error(Document reply, Element rpcReply, String type, String tag, String message) {
        Element error = reply.createElementNS(NamespaceURN.BASE, "rpc-error");
        rpcReply.appendChild(error);
        append(reply, error, "error-type", type);
        append(reply, error, "error-tag", tag);
        append(reply, error, "error-severity", "error");
        Element text = append(reply, error, "error-message", message);
        text.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", "en");
        return error;
    }

    private static Element append(Document doc, Element parent, String name, String text) {
        Element element = doc.createElementNS(NamespaceURN.BASE, name);
        element.setTextContent(text);
        parent.appendChild(element);
        return element;
    }

    private static Element replyElement(Document request, Document reply) {
        Element rpcReply = reply.createElementNS(NamespaceURN.BASE, "rpc-reply");
        NamedNodeMap attributes = request.getDocumentElement().getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            rpcReply.setAttributeNode((Attr) reply.importNode(attributes.item(i), true));
        }
        reply.appendChild(rpcReply);
        return rpcReply;
    }

    /**
     * Turns an unprefixed schema path ({@code /system/alg/ftp/port[.='2121']}) into an instance identifier with
     * module prefixes, declaring each prefix's namespace on the error-path element (RFC 6241 §4.3).
     */
    static void qualify(String path, Element errorPath) {
        String[] segments = path.substring(1).split("/(?![^\\[]*\\])");
        String[] module = TOP_LEVEL.getOrDefault(segments[0].replaceAll("\\[.*", ""), null);
        if (module == null) {
            errorPath.setTextContent(path);
            return;
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        prefixes.put(module[0], module[1]);
        StringBuilder qualified = new StringBuilder();
        String[] current = module;
        for (String segment : segments) {
            if (current[0].equals("algd-if") && segment.equals("firewall")) {
                current = FIREWALL_AUGMENT;
                prefixes.put(current[0], current[1]);
            }
            qualified.append('/').append(current[0]).append(':')
                    .append(segment.replaceAll("\\[(?!\\.)([a-z][a-z0-9-]*)=", "[" + current[0] + ":$1="));
        }
        prefixes.forEach((prefix, ns) -> errorPath.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + prefix, ns));
        errorPath.setTextContent(qualified.toString());
    }
}
