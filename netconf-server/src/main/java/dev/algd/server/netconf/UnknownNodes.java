package dev.algd.server.netconf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.model.api.AnydataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.AnyxmlSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.w3c.dom.Element;

/**
 * Finds the first element of edit-config data or of a subtree filter that the YANG models do not define, for an
 * RFC 6241 Appendix A answer: unknown-namespace when no algd module has its namespace, else unknown-element;
 * error-info names it (bad-element, bad-namespace) and error-path is its parent. OpenDaylight would answer the
 * first with malformed-message and the second with unknown-namespace, without a path.
 */
final class UnknownNodes {
    /** What is wrong and where: the parent's instance path (with prefixes declared in {@code prefixes}). */
    record Unknown(String tag, String message, String parentPath, Map<String, String> prefixes, String badElement,
            String badNamespace) {
    }

    private final DataSchema schema;

    UnknownNodes(DataSchema schema) {
        this.schema = schema;
    }

    /**
     * Namespaces a {@code <get>} filter may name although algd's models do not define them: the server's own
     * state, which OpenDaylight's monitoring answers and a controller reads when it mounts algd.
     */
    private static final Set<String> SERVED_ELSEWHERE = Set.of(
            "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring",
            "urn:ietf:params:xml:ns:yang:ietf-yang-library",
            "urn:ietf:params:xml:ns:netmod:notification");

    /** The first unknown node among {@code children} (top-level data nodes) and their descendants, or null. */
    Unknown find(List<Element> children) {
        return find(children, schema.root(), "", new LinkedHashMap<>());
    }

    /** As {@link #find(List)}, for a subtree filter: its top-level nodes in the server's own namespaces pass. */
    Unknown findInFilter(List<Element> children) {
        return find(children.stream().filter(child -> !SERVED_ELSEWHERE.contains(child.getNamespaceURI())).toList());
    }

    private Unknown find(List<Element> children, DataNodeContainer parent, String parentPath,
            Map<String, String> prefixes) {
        for (Element child : children) {
            String namespace = child.getNamespaceURI() == null ? "" : child.getNamespaceURI();
            String where = parentPath.isEmpty() ? "/" : parentPath;
            if (!schema.knowsNamespace(namespace)) {
                return new Unknown("unknown-namespace", "<" + child.getLocalName() + "> at " + where + " is in "
                        + (namespace.isEmpty() ? "no namespace" : "namespace " + namespace)
                        + ", which no algd YANG module defines", where, Map.copyOf(prefixes), child.getLocalName(),
                        namespace);
            }
            DataSchemaNode node = parent == null ? null : schema.child(parent, child);
            if (node == null) {
                return new Unknown("unknown-element", "<" + child.getLocalName() + "> is not defined at " + where
                        + " by the YANG model", where, Map.copyOf(prefixes), child.getLocalName(), null);
            }
            if (node instanceof AnyxmlSchemaNode || node instanceof AnydataSchemaNode) {
                continue;
            }
            Map<String, String> inner = new LinkedHashMap<>(prefixes);
            String step = step(node.getQName(), inner) + keys(node, child, inner);
            Unknown below = find(WithDefaults.children(child),
                    node instanceof DataNodeContainer container ? container : null, parentPath + "/" + step, inner);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    /** One path step {@code prefix:name}, recording the prefix in {@code prefixes}. */
    String step(QName name, Map<String, String> prefixes) {
        String prefix = schema.prefix(name.getModule());
        prefixes.put(prefix, name.getNamespace().toString());
        return prefix + ":" + name.getLocalName();
    }

    /** {@code [p:id='22']} for each key of a list entry that the element carries. */
    String keys(DataSchemaNode node, Element entry, Map<String, String> prefixes) {
        if (!(node instanceof ListSchemaNode list)) {
            return "";
        }
        StringBuilder predicates = new StringBuilder();
        for (QName key : list.getKeyDefinition()) {
            for (Element child : WithDefaults.children(entry)) {
                if (key.getLocalName().equals(child.getLocalName())) {
                    predicates.append('[').append(step(key, prefixes)).append("='")
                            .append(child.getTextContent().strip().replace("'", "")).append("']");
                }
            }
        }
        return predicates.toString();
    }
}
