package dev.algd.server.netconf;

import dev.algd.server.model.AlgdModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.netconf.api.CapabilityURN;
import org.opendaylight.netconf.server.api.monitoring.BasicCapability;
import org.opendaylight.netconf.server.api.monitoring.Capability;
import org.opendaylight.netconf.server.api.monitoring.CapabilityListener;
import org.opendaylight.netconf.server.api.operations.NetconfOperationService;
import org.opendaylight.netconf.server.api.operations.NetconfOperationServiceFactory;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.netconf.base._1._0.rev110601.SessionIdType;
import org.opendaylight.yangtools.concepts.Registration;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.QNameModule;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeWithValue;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.LeafSetNode;
import org.opendaylight.yangtools.yang.data.api.schema.MapEntryNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/**
 * ietf-yang-library (RFC 8525) and its deprecated {@code modules-state} (RFC 7895), both from one list: every module
 * the hello advertises and get-schema serves, with its revision. Implemented modules are algd's own, the yang
 * library itself and the NETCONF modules whose operations and notifications algd serves (ietf-netconf with the
 * features its capabilities claim); the rest are there only for their imports (import-only / conformance import).
 * The model never changes while algd runs, so the library is written into the operational datastore once, and
 * the hello carries {@code :yang-library:1.0} with the same module-set-id.
 */
final class YangLibrary implements NetconfOperationServiceFactory {
    static final QNameModule MODULE = QNameModule.of("urn:ietf:params:xml:ns:yang:ietf-yang-library",
            "2019-01-04");
    private static final QNameModule DATASTORES = QNameModule.of("urn:ietf:params:xml:ns:yang:ietf-datastores",
            "2018-02-14");
    private static final String CAPABILITY_PREFIX = "urn:ietf:params:netconf:capability:";
    /** ietf-netconf's features, each named as the capability that announces it (RFC 6241 §10). */
    private static final Set<String> NETCONF_FEATURES = Set.of("writable-running", "candidate", "confirmed-commit",
            "rollback-on-error", "validate", "startup", "url", "xpath");
    private static final Set<String> IMPLEMENTED_PROTOCOL_MODULES = Set.of("ietf-yang-library",
            "ietf-netconf-notifications", "notifications", "ietf-netconf");
    private static final String MODULE_SET = "algd";
    private static final String SCHEMA = "algd";

    /** One module as the library lists it. */
    record Module(String name, String revision, String namespace, boolean isImplemented) {
    }

    private final List<Module> modules;
    private final String contentId;

    /** The library of {@code model} plus the notification modules. */
    YangLibrary(AlgdModel model) {
        List<Module> all = new ArrayList<>();
        for (var module : model.modelContext().getModules()) {
            all.add(module(module.getName(), module.getQNameModule()));
        }
        for (var info : NotificationOperationServiceFactory.modulesBeyond(model)) {
            all.add(module(info.getName().getLocalName(), info.getName().getModule()));
        }
        all.sort(Comparator.comparing(Module::name).thenComparing(Module::revision));
        this.modules = List.copyOf(all);
        this.contentId = contentId(modules);
    }

    private static Module module(String name, QNameModule qname) {
        boolean implemented = name.startsWith("algd-") || IMPLEMENTED_PROTOCOL_MODULES.contains(name);
        return new Module(name, qname.revision() == null ? "" : qname.revision().toString(),
                qname.namespace().toString(), implemented);
    }

    /** Modules and their revisions decide the id; the features follow from the build as the modules do. */
    private static String contentId(List<Module> modules) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(modules.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    List<Module> modules() {
        return modules;
    }

    /**
     * Writes {@code yang-library} and {@code modules-state} into the operational datastore, with ietf-netconf's
     * features and the datastores as the hello's {@code capabilities} announce them.
     */
    void writeTo(DOMDataBroker broker, Set<String> capabilities) throws ExecutionException, InterruptedException {
        List<String> features = new ArrayList<>();
        List<String> datastores = new ArrayList<>(List.of("running"));
        for (String uri : capabilities) {
            if (uri.startsWith(CAPABILITY_PREFIX)) {
                String name = uri.substring(CAPABILITY_PREFIX.length()).replaceAll("[:?].*", "");
                if (NETCONF_FEATURES.contains(name)) {
                    features.add(name);
                }
                if (name.equals("candidate") || name.equals("startup")) {
                    datastores.add(name);
                }
            }
        }
        var tx = broker.newWriteOnlyTransaction();
        ContainerNode library = yangLibrary(features, datastores);
        ContainerNode state = modulesState(features);
        tx.put(LogicalDatastoreType.OPERATIONAL, YangInstanceIdentifier.of(library.name()), library);
        tx.put(LogicalDatastoreType.OPERATIONAL, YangInstanceIdentifier.of(state.name()), state);
        tx.commit().get();
    }

    ContainerNode yangLibrary(List<String> netconfFeatures, List<String> datastores) {
        var implemented = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("module"));
        var importOnly = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("import-only-module"));
        for (Module module : modules) {
            if (module.isImplemented()) {
                var entry = entry("module", module, false).withChild(leaf("namespace", module.namespace()));
                if (module.name().equals("ietf-netconf") && !netconfFeatures.isEmpty()) {
                    entry.withChild(leafList("feature", netconfFeatures));
                }
                implemented.withChild(entry.build());
            } else {
                importOnly.withChild(entry("import-only-module", module, true)
                        .withChild(leaf("namespace", module.namespace())).build());
            }
        }
        var moduleSet = ImmutableNodes.newMapEntryBuilder()
                .withNodeIdentifier(NodeIdentifierWithPredicates.of(qname("module-set"), qname("name"), MODULE_SET))
                .withChild(leaf("name", MODULE_SET)).withChild(implemented.build()).withChild(importOnly.build());
        var schema = ImmutableNodes.newMapEntryBuilder()
                .withNodeIdentifier(NodeIdentifierWithPredicates.of(qname("schema"), qname("name"), SCHEMA))
                .withChild(leaf("name", SCHEMA)).withChild(leafList("module-set", List.of(MODULE_SET)));
        var stores = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("datastore"));
        for (String store : datastores) {
            QName identity = QName.create(DATASTORES, store);
            stores.withChild(ImmutableNodes.newMapEntryBuilder()
                    .withNodeIdentifier(NodeIdentifierWithPredicates.of(qname("datastore"), qname("name"), identity))
                    .withChild(ImmutableNodes.leafNode(qname("name"), identity))
                    .withChild(leaf("schema", SCHEMA)).build());
        }
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(id("yang-library"))
                .withChild(ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("module-set"))
                        .withChild(moduleSet.build()).build())
                .withChild(ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("schema"))
                        .withChild(schema.build()).build())
                .withChild(stores.build())
                .withChild(leaf("content-id", contentId))
                .build();
    }

    /** RFC 7895's module list: every module keyed by name and revision, with its conformance type. */
    ContainerNode modulesState(List<String> netconfFeatures) {
        var list = ImmutableNodes.newSystemMapBuilder().withNodeIdentifier(id("module"));
        for (Module module : modules) {
            var entry = entry("module", module, true).withChild(leaf("namespace", module.namespace()))
                    .withChild(leaf("conformance-type", module.isImplemented() ? "implement" : "import"));
            if (module.name().equals("ietf-netconf") && !netconfFeatures.isEmpty()) {
                entry.withChild(leafList("feature", netconfFeatures));
            }
            list.withChild(entry.build());
        }
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(id("modules-state"))
                .withChild(leaf("module-set-id", contentId)).withChild(list.build()).build();
    }

    private static org.opendaylight.yangtools.yang.data.api.schema.builder.DataContainerNodeBuilder<
            NodeIdentifierWithPredicates, MapEntryNode> entry(String list, Module module, boolean revisionIsKey) {
        var key = revisionIsKey
                ? NodeIdentifierWithPredicates.of(qname(list), java.util.Map.of(qname("name"), module.name(),
                        qname("revision"), module.revision()))
                : NodeIdentifierWithPredicates.of(qname(list), qname("name"), module.name());
        var entry = ImmutableNodes.newMapEntryBuilder().withNodeIdentifier(key).withChild(leaf("name", module.name()));
        if (revisionIsKey || !module.revision().isEmpty()) {
            entry.withChild(leaf("revision", module.revision()));
        }
        return entry;
    }

    private static LeafSetNode<String> leafList(String name, List<String> values) {
        var list = ImmutableNodes.<String>newSystemLeafSetBuilder().withNodeIdentifier(id(name));
        new TreeSet<>(values).forEach(value -> list.withChild(ImmutableNodes.<String>newLeafSetEntryBuilder()
                .withNodeIdentifier(new NodeWithValue<>(qname(name), value)).withValue(value).build()));
        return list.build();
    }

    private static org.opendaylight.yangtools.yang.data.api.schema.LeafNode<String> leaf(String name, String value) {
        return ImmutableNodes.leafNode(qname(name), value);
    }

    private static QName qname(String name) {
        return QName.create(MODULE, name);
    }

    private static NodeIdentifier id(String name) {
        return new NodeIdentifier(qname(name));
    }

    // As a NETCONF operation service factory it only advertises the library (RFC 7950 §5.6.4).

    @Override
    public Set<Capability> getCapabilities() {
        return Set.of(new BasicCapability(CapabilityURN.YANG_LIBRARY + "?revision=" + MODULE.revision()
                + "&module-set-id=" + contentId));
    }

    @Override
    public Registration registerCapabilityListener(CapabilityListener listener) {
        listener.onCapabilitiesChanged(getCapabilities(), Set.of());
        return () -> { };
    }

    @Override
    public NetconfOperationService createService(SessionIdType sessionId) {
        return new SessionOperations(Set.of(), () -> { });
    }
}
