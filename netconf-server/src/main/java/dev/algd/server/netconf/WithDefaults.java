package dev.algd.server.netconf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yangtools.yang.model.api.CaseSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ChoiceSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ContainerSchemaNode;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.LeafSchemaNode;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * RFC 6243 with-defaults on a {@code <data>} reply. The datastores hold what clients set (basic-mode explicit:
 * a leaf set to its default value is reported, one never set is not); report-all adds every default the YANG
 * model gives to the containers and list entries present, report-all-tagged also marks each leaf whose value is
 * its default with {@code wd:default="true"}, and trim leaves such leaves out.
 */
final class WithDefaults {
    static final String NAMESPACE = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults";
    /** RFC 6243 §6: the namespace of the {@code default} attribute of report-all-tagged. */
    static final String TAG_NAMESPACE = "urn:ietf:params:xml:ns:netconf:default:1.0";
    static final String CAPABILITY = "urn:ietf:params:netconf:capability:with-defaults:1.0"
            + "?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim";

    enum Mode {
        EXPLICIT, REPORT_ALL, REPORT_ALL_TAGGED, TRIM;

        /** The RFC 6243 name ("report-all-tagged"), or empty for a word that names no mode. */
        static Optional<Mode> named(String text) {
            for (Mode mode : values()) {
                if (mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(text)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    private final DataSchema schema;

    WithDefaults(DataSchema schema) {
        this.schema = schema;
    }

    /** Applies {@code mode} to every top-level node in {@code data}; {@code configOnly} for get-config. */
    void apply(Element data, Mode mode, boolean configOnly) {
        if (mode == Mode.EXPLICIT) {
            return;
        }
        for (Element top : children(data)) {
            DataSchemaNode node = schema.child(schema.root(), top);
            if (node instanceof DataNodeContainer container) {
                apply(top, container, mode, configOnly);
            }
        }
    }

    private void apply(Element element, DataNodeContainer node, Mode mode, boolean configOnly) {
        for (Element child : children(element)) {
            DataSchemaNode childNode = schema.child(node, child);
            if (childNode instanceof DataNodeContainer container) {
                apply(child, container, mode, configOnly);
            } else if (childNode instanceof LeafSchemaNode leaf && isDefault(leaf, child)) {
                if (mode == Mode.TRIM) {
                    element.removeChild(child);
                } else if (mode == Mode.REPORT_ALL_TAGGED) {
                    tag(child);
                }
            }
        }
        if (mode != Mode.TRIM) {
            addMissing(element, node.getChildNodes(), mode, configOnly);
        }
    }

    /** Adds the defaults of {@code nodes} missing from {@code element}; true if it added anything. */
    private boolean addMissing(Element element, Iterable<? extends DataSchemaNode> nodes, Mode mode,
            boolean configOnly) {
        boolean added = false;
        for (DataSchemaNode node : nodes) {
            if (configOnly && !node.effectiveConfig().orElse(Boolean.TRUE)) {
                continue;
            }
            if (node instanceof LeafSchemaNode leaf) {
                Optional<String> value = defaultOf(leaf);
                if (value.isPresent() && find(element, leaf) == null) {
                    Element leafElement = append(element, leaf);
                    leafElement.setTextContent(value.get());
                    if (mode == Mode.REPORT_ALL_TAGGED) {
                        tag(leafElement);
                    }
                    added = true;
                }
            } else if (node instanceof ContainerSchemaNode container && !container.isPresenceContainer()) {
                Element existing = find(element, container);
                if (existing == null) {
                    Element created = append(element, container);
                    if (addMissing(created, container.getChildNodes(), mode, configOnly)) {
                        added = true;
                    } else {
                        element.removeChild(created);
                    }
                }
            } else if (node instanceof ChoiceSchemaNode choice) {
                CaseSchemaNode active = activeCase(element, choice);
                if (active != null) {
                    added |= addMissing(element, active.getChildNodes(), mode, configOnly);
                }
            }
        }
        return added;
    }

    /** The case some element of {@code element} belongs to, else the choice's default case, else null. */
    private CaseSchemaNode activeCase(Element element, ChoiceSchemaNode choice) {
        for (Element child : children(element)) {
            for (CaseSchemaNode candidate : choice.getCases()) {
                if (schema.child(candidate, child) != null) {
                    return candidate;
                }
            }
        }
        return choice.getDefaultCase().orElse(null);
    }

    private static boolean isDefault(LeafSchemaNode leaf, Element element) {
        Optional<String> value = defaultOf(leaf);
        return value.isPresent() && value.get().equals(element.getTextContent().strip());
    }

    /** The leaf's default as YANG writes it (its own, else its type's); algd's are enumerations and strings. */
    private static Optional<String> defaultOf(LeafSchemaNode leaf) {
        return leaf.getType().getDefaultValue().map(Object::toString);
    }

    private static void tag(Element leaf) {
        leaf.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:wd", TAG_NAMESPACE);
        leaf.setAttributeNS(TAG_NAMESPACE, "wd:default", "true");
    }

    private static Element find(Element parent, DataSchemaNode node) {
        for (Element child : children(parent)) {
            if (node.getQName().getLocalName().equals(child.getLocalName())
                    && node.getQName().getNamespace().toString().equals(child.getNamespaceURI())) {
                return child;
            }
        }
        return null;
    }

    private static Element append(Element parent, DataSchemaNode node) {
        Element child = parent.getOwnerDocument().createElementNS(node.getQName().getNamespace().toString(),
                node.getQName().getLocalName());
        parent.appendChild(child);
        return child;
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }
}
