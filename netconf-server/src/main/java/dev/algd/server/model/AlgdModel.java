package dev.algd.server.model;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendaylight.mdsal.dom.api.DOMSchemaService;
import org.opendaylight.mdsal.dom.spi.FixedDOMSchemaService;
import org.opendaylight.yangtools.binding.meta.YangModuleInfo;
import org.opendaylight.yangtools.binding.runtime.spi.BindingRuntimeHelpers;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.source.SourceIdentifier;
import org.opendaylight.yangtools.yang.model.api.source.YangTextSource;
import org.opendaylight.yangtools.yang.model.spi.source.DelegatedYangTextSource;

/**
 * The schema algd serves: its own modules plus what they import, taken from the generated bindings so
 * that the build's YANG and the daemon's YANG are the same files.
 */
public final class AlgdModel {
    private static final List<YangModuleInfo> ROOT_MODULES = List.of(
            org.opendaylight.yang.svc.v1.urn.algd.yang.algd.system.rev261125.YangModuleInfoImpl.getInstance(),
            org.opendaylight.yang.svc.v1.urn.algd.yang.algd.interfaces.rev261125.YangModuleInfoImpl.getInstance(),
            org.opendaylight.yang.svc.v1.urn.algd.yang.algd.nat.rev261125.YangModuleInfoImpl.getInstance(),
            org.opendaylight.yang.svc.v1.urn.algd.yang.algd.firewall.rev261125.YangModuleInfoImpl.getInstance(),
            org.opendaylight.yang.svc.v1.urn.algd.yang.algd.session.table.rev261125.YangModuleInfoImpl.getInstance(),
            // RFC 6022: get-schema and /netconf-state/schemas, through which controllers discover the modules.
            org.opendaylight.yang.svc.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004
                    .YangModuleInfoImpl.getInstance(),
            // RFC 8525: <get> serves the library of the modules above (netconf.YangLibrary).
            org.opendaylight.yang.svc.v1.urn.ietf.params.xml.ns.yang.ietf.yang.library.rev190104.YangModuleInfoImpl
                    .getInstance());

    private final EffectiveModelContext modelContext;
    private final Map<SourceIdentifier, YangTextSource> sources;

    private AlgdModel(EffectiveModelContext modelContext, Map<SourceIdentifier, YangTextSource> sources) {
        this.modelContext = modelContext;
        this.sources = Map.copyOf(sources);
    }

    public static AlgdModel load() {
        Set<YangModuleInfo> all = new HashSet<>();
        ROOT_MODULES.forEach(info -> collect(info, all));
        Map<SourceIdentifier, YangTextSource> sources = new HashMap<>();
        for (YangModuleInfo info : all) {
            SourceIdentifier id = SourceIdentifier.ofQName(info.getName());
            sources.put(id, new DelegatedYangTextSource(id, info.getYangTextCharSource()));
        }
        return new AlgdModel(BindingRuntimeHelpers.createEffectiveModel(all), sources);
    }

    private static void collect(YangModuleInfo info, Set<YangModuleInfo> into) {
        if (into.add(info)) {
            info.getImportedModules().forEach(imported -> collect(imported, into));
        }
    }

    public EffectiveModelContext modelContext() {
        return modelContext;
    }

    /** The text of one module of the model, for NETCONF capabilities and get-schema. */
    public java.util.Optional<String> yangText(SourceIdentifier id) {
        YangTextSource source = sources.get(id);
        if (source == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(source.read());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read YANG source " + id, e);
        }
    }

    /** A schema service that also serves module text, which the NETCONF server needs for get-schema. */
    public DOMSchemaService schemaService() {
        return new FixedDOMSchemaService(() -> modelContext, this::source);
    }

    private ListenableFuture<YangTextSource> source(SourceIdentifier id) {
        YangTextSource source = sources.get(id);
        return source != null ? Futures.immediateFuture(source)
                : Futures.immediateFailedFuture(new IllegalArgumentException("no YANG source " + id));
    }
}
