package dev.algd.server.netconf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.common.XMLNamespace;
import org.opendaylight.yangtools.yang.model.api.DataNodeContainer;
import org.opendaylight.yangtools.yang.model.api.DataSchemaNode;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.w3c.dom.Element;

/**
 * The YANG schema node of an XML data element, found by walking down from the model's root: what the
 * operations that post-process OpenDaylight's XML (with-defaults, XPath filters, edit checks) need.
 */
final class DataSchema {
    private final EffectiveModelContext modelContext;
    private final Map<String, QNameModule> modules = new ConcurrentHashMap<>();

    DataSchema(EffectiveModelContext modelContext) {
        this.modelContext = modelContext;
    }

    /** The model's root, parent of every top-level data node. */
    DataNodeContainer root() {
        return modelContext;
    }

    /** Whether some module of the model has {@code namespace}. */
    boolean knowsNamespace(String namespace) {
        return module(namespace) != null;
    }

    /** The schema node of {@code element} as a child of {@code parent} (through choices and cases), or null. */
    DataSchemaNode child(DataNodeContainer parent, Element element) {
        QNameModule module = module(element.getNamespaceURI());
        if (module == null || element.getLocalName() == null) {
            return null;
        }
        return parent.findDataTreeChild(QName.create(module, element.getLocalName())).orElse(null);
    }

    /** The prefix the module of {@code module} declares for itself, for error-paths. */
    String prefix(QNameModule module) {
        return modelContext.findModule(module).map(m -> m.getPrefix()).orElse("m");
    }

    private QNameModule module(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return null;
        }
        return modules.computeIfAbsent(namespace, ns -> {
            try {
                var found = modelContext.findModules(XMLNamespace.of(ns));
                return found.isEmpty() ? null : found.iterator().next().getQNameModule();
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }
}
