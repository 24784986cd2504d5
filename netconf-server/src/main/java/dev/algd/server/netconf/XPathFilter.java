package dev.algd.server.netconf;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.opendaylight.netconf.api.xml.XmlUtil;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.ListSchemaNode;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * An XPath filter (RFC 6241 §8.9, {@code :xpath}): the {@code select} expression, with the prefixes declared
 * on the {@code <filter>} element, picks nodes of the reply; each comes back with its ancestors and, for list
 * entries among them, their keys. Each top-level data node is evaluated as the root of its own document (XPath
 * 1.0 has one root element), so an expression cannot compare one top-level tree with another.
 */
final class XPathFilter {
    /** Why a filter cannot be used; the message goes to the client as it is. */
    static final class BadFilter extends Exception {
        BadFilter(String message) {
            super(message);
        }
    }

    private final XPathExpression expression;
    private final String select;

    private XPathFilter(XPathExpression expression, String select) {
        this.expression = expression;
        this.select = select;
    }

    /** Compiles the filter's select attribute, resolving prefixes on {@code filter}. */
    static XPathFilter of(Element filter) throws BadFilter {
        if (!filter.hasAttribute("select")) {
            throw new BadFilter("an XPath <filter> needs a select attribute");
        }
        String select = filter.getAttribute("select");
        var xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                String uri = filter.lookupNamespaceURI(prefix.isEmpty() ? null : prefix);
                return uri == null ? XMLConstants.NULL_NS_URI : uri;
            }

            @Override
            public String getPrefix(String namespaceUri) {
                return filter.lookupPrefix(namespaceUri);
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceUri) {
                String prefix = getPrefix(namespaceUri);
                return prefix == null ? List.<String>of().iterator() : List.of(prefix).iterator();
            }
        });
        for (String prefix : prefixesOf(select)) {
            if (filter.lookupNamespaceURI(prefix) == null) {
                throw new BadFilter("select '" + select + "': prefix '" + prefix
                        + "' is not declared on the <filter> element");
            }
        }
        try {
            return new XPathFilter(xpath.compile(select), select);
        } catch (XPathExpressionException e) {
            throw new BadFilter("select '" + select + "' is not an XPath 1.0 expression"
                    + (e.getMessage() == null ? "" : ": " + plain(e)));
        }
    }

    /** Replaces the children of {@code data} with the selected nodes and their ancestors. */
    void apply(Element data, DataSchema schema) throws BadFilter {
        List<Element> selected = new ArrayList<>();
        List<Element> tops = WithDefaults.children(data);
        for (Element top : tops) {
            Document alone = XmlUtil.newDocument();
            alone.appendChild(alone.importNode(top, true));
            NodeList nodes;
            try {
                nodes = (NodeList) expression.evaluate(alone, XPathConstants.NODESET);
            } catch (XPathExpressionException e) {
                throw new BadFilter("select '" + select + "' does not give a node-set: " + plain(e));
            }
            for (int i = 0; i < nodes.getLength(); i++) {
                Element element = elementOf(nodes.item(i));
                if (element != null) {
                    selected.add(element);
                }
            }
            data.removeChild(top);
        }
        Map<Element, Element> copies = new IdentityHashMap<>();
        for (Element element : selected) {
            if (hasSelectedAncestor(element, selected)) {
                continue;
            }
            Element parentCopy = element.getParentNode() instanceof Element parent
                    ? copyOfAncestor(parent, data, schema, copies) : data;
            Element copy = (Element) data.getOwnerDocument().importNode(element, true);
            if (!alreadyThere(parentCopy, copy)) {
                parentCopy.appendChild(copy);
            }
        }
    }

    /** The shallow copy of {@code ancestor} under {@code data}, made with its own ancestors and list keys. */
    private static Element copyOfAncestor(Element ancestor, Element data, DataSchema schema,
            Map<Element, Element> copies) {
        Element existing = copies.get(ancestor);
        if (existing != null) {
            return existing;
        }
        Element parentCopy = ancestor.getParentNode() instanceof Element parent
                ? copyOfAncestor(parent, data, schema, copies) : data;
        Element copy = (Element) data.getOwnerDocument().importNode(ancestor, false);
        parentCopy.appendChild(copy);
        if (schemaOf(ancestor, schema) instanceof ListSchemaNode list) {
            for (QName key : list.getKeyDefinition()) {
                for (Element child : WithDefaults.children(ancestor)) {
                    if (key.getLocalName().equals(child.getLocalName())
                            && key.getNamespace().toString().equals(child.getNamespaceURI())) {
                        copy.appendChild(data.getOwnerDocument().importNode(child, true));
                    }
                }
            }
        }
        copies.put(ancestor, copy);
        return copy;
    }

    private static DataSchemaNode schemaOf(Element element, DataSchema schema) {
        List<Element> path = new ArrayList<>();
        for (Node node = element; node instanceof Element e; node = node.getParentNode()) {
            path.addFirst(e);
        }
        DataNodeContainer parent = schema.root();
        DataSchemaNode found = null;
        for (Element step : path) {
            found = parent == null ? null : schema.child(parent, step);
            if (found == null) {
                return null;
            }
            parent = found instanceof DataNodeContainer container ? container : null;
        }
        return found;
    }

    /** A key leaf already copied with its list entry is not added twice. */
    private static boolean alreadyThere(Element parent, Element leaf) {
        if (!WithDefaults.children(leaf).isEmpty()) {
            return false;
        }
        for (Element child : WithDefaults.children(parent)) {
            if (child.getLocalName().equals(leaf.getLocalName())
                    && java.util.Objects.equals(child.getNamespaceURI(), leaf.getNamespaceURI())
                    && child.getTextContent().equals(leaf.getTextContent())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSelectedAncestor(Element element, List<Element> selected) {
        for (Node node = element.getParentNode(); node instanceof Element ancestor; node = node.getParentNode()) {
            for (Element other : selected) {
                if (other == ancestor) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An attribute or a text node selects the element that holds it. */
    private static Element elementOf(Node node) {
        return switch (node) {
            case Element element -> element;
            case Attr attr -> attr.getOwnerElement();
            case Document document -> document.getDocumentElement();
            default -> node.getParentNode() instanceof Element parent ? parent : null;
        };
    }

    /** Every {@code prefix:} used before a name in {@code select} (not inside string literals). */
    private static List<String> prefixesOf(String select) {
        List<String> prefixes = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("('[^']*'|\"[^\"]*\")|([A-Za-z_][\\w.-]*):(?![:])")
                .matcher(select);
        while (matcher.find()) {
            if (matcher.group(2) != null && !prefixes.contains(matcher.group(2))) {
                prefixes.add(matcher.group(2));
            }
        }
        return prefixes;
    }

    private static String plain(XPathExpressionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return String.valueOf(cause.getMessage()).replaceAll("^javax\\.xml\\.transform\\.TransformerException: ", "");
    }
}
