package dev.algd.server.netconf;

import dev.algd.server.ConfigCommitter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendaylight.netconf.api.xml.XmlUtil;
import org.opendaylight.netconf.server.api.monitoring.NetconfMonitoringService;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.sessions.Session;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ChoiceNode;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DistinctNodeContainer;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.Module;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The RFC 6470 {@code netconf-config-change} notification, raised after every commit that changed running: who
 * made the change (the NETCONF session, or the server itself for a confirmed commit that timed out), and one
 * {@code edit} per changed node, found by comparing running before and after. A created or deleted list or
 * leaf-list is reported entry by entry, so that every target is one instance (RFC 7950 §9.13); a changed leaf is
 * reported as {@code replace}.
 */
final class ConfigChangeNotifications implements ConfigCommitter.ChangeListener {
    static final String NAMESPACE = "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications";

    /** One changed node: its instance identifier with the prefixes it uses, and the edit operation. */
    record Edit(String target, Map<String, String> prefixes, String operation) {
    }

    private final NotificationStream stream;
    private final NetconfMonitoringService monitoring;
    private final EffectiveModelContext modelContext;

    ConfigChangeNotifications(NotificationStream stream, NetconfMonitoringService monitoring,
            EffectiveModelContext modelContext) {
        this.stream = stream;
        this.monitoring = monitoring;
        this.modelContext = modelContext;
    }

    @Override
    public void committed(ContainerNode before, ContainerNode after, long sessionId) {
        if (!stream.hasSubscribers()) {
            return;
        }
        Instant now = Instant.now();
        stream.publish(notification(sessionId, edits(before, after)), now);
    }

    /** Every node that differs between the two trees, parents before children, in document order. */
    List<Edit> edits(ContainerNode before, ContainerNode after) {
        List<Edit> edits = new ArrayList<>();
        compareChildren(before, after, "", new LinkedHashMap<>(), edits);
        return edits;
    }

    private Document notification(long sessionId, List<Edit> edits) {
        Document document = XmlUtil.newDocument();
        Element change = document.createElementNS(NAMESPACE, "netconf-config-change");
        document.appendChild(change);
        Element changedBy = append(change, "changed-by", null);
        Session session = sessionId == ConfigCommitter.SERVER ? null : session(sessionId);
        if (sessionId == ConfigCommitter.SERVER) {
            append(changedBy, "server", null);
        } else {
            // common-session-parms: username and session-id are mandatory, source-host optional. OpenDaylight
            // 10.0.2 over SSH knows no user name ("unknown") and records its own address as the session's source
            // host, so source-host is left out rather than given wrong.
            append(changedBy, "username", session == null ? "unknown" : session.getUsername());
            append(changedBy, "session-id", Long.toString(sessionId));
        }
        append(change, "datastore", "running");
        for (Edit edit : edits) {
            Element element = append(change, "edit", null);
            Element target = append(element, "target", edit.target());
            edit.prefixes().forEach((prefix, namespace) ->
                    target.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:" + prefix, namespace));
            append(element, "operation", edit.operation());
        }
        return document;
    }

    private Session session(long sessionId) {
        var sessions = monitoring.getSessions().getSession();
        if (sessions == null) {
            return null;
        }
        return sessions.values().stream().filter(s -> s.getSessionId().longValue() == sessionId).findFirst()
                .orElse(null);
    }

    private static Element append(Element parent, String name, String text) {
        Element element = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
        if (text != null) {
            element.setTextContent(text);
        }
        parent.appendChild(element);
        return element;
    }

    private void compare(NormalizedNode before, NormalizedNode after, String parentPath,
            Map<String, String> prefixes, List<Edit> edits) {
        NormalizedNode present = after != null ? after : before;
        if (present instanceof ChoiceNode) {
            // A choice is not a node of the instance identifier: its cases' nodes are the parent's children.
            compareChildren(before, after, parentPath, prefixes, edits);
            return;
        }
        if (present instanceof MapNode || present instanceof LeafSetNode<?>) {
            // A list or leaf-list is named entry by entry.
            compareChildren(before, after, parentPath, prefixes, edits);
            return;
        }
        Map<String, String> used = new LinkedHashMap<>(prefixes);
        String path = parentPath + "/" + step(present.name(), used);
        if (before == null || after == null) {
            edits.add(new Edit(path, used, before == null ? "create" : "delete"));
        } else if (!before.equals(after)) {
            if (before instanceof DistinctNodeContainer<?, ?> && after instanceof DistinctNodeContainer<?, ?>) {
                compareChildren(before, after, path, used, edits);
            } else {
                edits.add(new Edit(path, used, "replace"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void compareChildren(NormalizedNode before, NormalizedNode after, String path,
            Map<String, String> prefixes, List<Edit> edits) {
        var beforeChildren = before instanceof DistinctNodeContainer<?, ?> container
                ? (DistinctNodeContainer<PathArgument, NormalizedNode>) container : null;
        var afterChildren = after instanceof DistinctNodeContainer<?, ?> container
                ? (DistinctNodeContainer<PathArgument, NormalizedNode>) container : null;
        if (beforeChildren != null) {
            for (NormalizedNode child : beforeChildren.body()) {
                NormalizedNode counterpart = afterChildren == null ? null : afterChildren.childByArg(child.name());
                compare(child, counterpart, path, prefixes, edits);
            }
        }
        if (afterChildren != null) {
            for (NormalizedNode child : afterChildren.body()) {
                if (beforeChildren == null || beforeChildren.childByArg(child.name()) == null) {
                    compare(null, child, path, prefixes, edits);
                }
            }
        }
    }

    /** One step of an instance identifier (RFC 7950 §9.13): prefixed name, then key or value predicates. */
    private String step(PathArgument argument, Map<String, String> prefixes) {
        StringBuilder step = new StringBuilder(qualified(argument.getNodeType(), prefixes));
        if (argument instanceof NodeIdentifierWithPredicates keyed) {
            for (var key : keyed.entrySet()) {
                step.append('[').append(qualified(key.getKey(), prefixes)).append('=')
                        .append(quoted(value(key.getValue(), prefixes))).append(']');
            }
        } else if (argument instanceof NodeWithValue<?> entry) {
            step.append("[.=").append(quoted(value(entry.getValue(), prefixes))).append(']');
        }
        return step.toString();
    }

    private String qualified(QName name, Map<String, String> prefixes) {
        String prefix = modelContext.findModule(name.getModule()).map(Module::getPrefix)
                .orElseThrow(() -> new IllegalStateException("no module for " + name));
        prefixes.put(prefix, name.getNamespace().toString());
        return prefix + ":" + name.getLocalName();
    }

    private String value(Object value, Map<String, String> prefixes) {
        return value instanceof QName identity ? qualified(identity, prefixes) : String.valueOf(value);
    }

    private static String quoted(String value) {
        return value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value + "\"";
    }
}
