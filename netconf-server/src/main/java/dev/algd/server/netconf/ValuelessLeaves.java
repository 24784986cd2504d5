package dev.algd.server.netconf;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import javax.xml.namespace.NamespaceContext;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataTreeReadOperations;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.LeafNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlCodecFactory;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.w3c.dom.Element;

/**
 * {@code nc:operation="delete"} or {@code "remove"} on a leaf given without a value ({@code <protocol
 * nc:operation="remove"/>}): RFC 6241 §7.2 needs no value to delete a leaf, but OpenDaylight parses the empty text
 * as a value of the leaf's type and fails for anything but a string. The value plays no part in deleting a leaf,
 * so each such leaf gets its current value from the datastore being edited; a leaf that is not set is a
 * data-missing error for delete, and for remove it is simply left out of the edit.
 */
final class ValuelessLeaves {
    /** A delete of a leaf that is not set. */
    record Missing(String path, Map<String, String> prefixes) {
    }

    private final DataSchema schema;
    private final UnknownNodes paths;
    private final XmlCodecFactory codecs;

    ValuelessLeaves(DataSchema schema, UnknownNodes paths, EffectiveModelContext modelContext) {
        this.schema = schema;
        this.paths = paths;
        this.codecs = XmlCodecFactory.create(modelContext);
    }

    /**
     * Fills in or drops every value-less deleted leaf under {@code config}, reading current values through
     * {@code datastore}; returns the first delete of a leaf that is not set, or null.
     */
    Missing resolve(Element config, DOMDataTreeReadOperations datastore)
            throws InterruptedException, ExecutionException {
        List<Found> found = new ArrayList<>();
        collect(WithDefaults.children(config), schema.root(), "", new LinkedHashMap<>(), found);
        for (Found leaf : found) {
            YangInstanceIdentifier path = codecs.instanceIdentifierCodec().parseValue(namespaces(leaf.prefixes()),
                    leaf.path());
            Optional<NormalizedNode> current = datastore.read(LogicalDatastoreType.CONFIGURATION, path).get();
            if (current.isPresent() && current.get() instanceof LeafNode<?> value) {
                leaf.element().setTextContent(String.valueOf(value.body()));
            } else if ("delete".equals(leaf.operation())) {
                return new Missing(leaf.path(), Map.copyOf(leaf.prefixes()));
            } else {
                leaf.element().getParentNode().removeChild(leaf.element());
            }
        }
        return null;
    }

    private record Found(Element element, String operation, String path, Map<String, String> prefixes) {
    }

    private void collect(List<Element> children, DataNodeContainer parent, String parentPath,
            Map<String, String> prefixes, List<Found> into) {
        for (Element child : children) {
            DataSchemaNode node = parent == null ? null : schema.child(parent, child);
            if (node == null) {
                continue;
            }
            Map<String, String> inner = new LinkedHashMap<>(prefixes);
            String path = parentPath + "/" + paths.step(node.getQName(), inner) + paths.keys(node, child, inner);
            String operation = child.getAttributeNS(NamespaceURN.BASE, "operation");
            if (node instanceof LeafSchemaNode && ("delete".equals(operation) || "remove".equals(operation))
                    && WithDefaults.children(child).isEmpty() && child.getTextContent().isBlank()) {
                into.add(new Found(child, operation, path, inner));
            } else if (node instanceof DataNodeContainer container) {
                collect(WithDefaults.children(child), container, path, inner, into);
            }
        }
    }

    private static NamespaceContext namespaces(Map<String, String> prefixes) {
        return new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return prefixes.get(prefix);
            }

            @Override
            public String getPrefix(String namespaceUri) {
                return prefixes.entrySet().stream().filter(e -> e.getValue().equals(namespaceUri))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceUri) {
                String prefix = getPrefix(namespaceUri);
                return prefix == null ? List.<String>of().iterator() : List.of(prefix).iterator();
            }
        };
    }
}
