package dev.algd.server.netconf;

import dev.algd.server.model.AlgdModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opendaylight.netconf.api.CapabilityURN;
import org.opendaylight.netconf.server.api.monitoring.BasicCapability;
import org.opendaylight.netconf.server.api.monitoring.Capability;
import org.opendaylight.netconf.server.api.monitoring.CapabilityListener;
import org.opendaylight.netconf.server.api.monitoring.YangModuleCapability;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationService;
import org.opendaylight.netconf.server.api.operations.NetconfOperationServiceFactory;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.netconf.base._1._0.rev110601.SessionIdType;
import org.opendaylight.yangtools.binding.meta.YangModuleInfo;
import org.opendaylight.yangtools.concepts.Registration;

/**
 * Notifications as the hello advertises them: {@code :notification:1.0} with {@code <create-subscription>} per
 * session, {@code :interleave:1.0} (a subscribed session keeps answering every other operation), and the modules
 * that define what algd sends: ietf-netconf-notifications (RFC 6470) and notifications (RFC 5277), with what they
 * import that algd's model does not already have, so that get-schema can give a client all of it.
 */
final class NotificationOperationServiceFactory implements NetconfOperationServiceFactory {
    /** The notification modules; their imports follow. They define no data, so they stay out of the datastore. */
    static final List<YangModuleInfo> MODULES = List.of(
            org.opendaylight.yang.svc.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.notifications.rev120206
                    .YangModuleInfoImpl.getInstance(),
            org.opendaylight.yang.svc.v1.urn.ietf.params.xml.ns.netconf.notification._1._0.rev080714
                    .YangModuleInfoImpl.getInstance());

    private final NotificationStream stream;
    private final Set<Capability> capabilities;

    NotificationOperationServiceFactory(NotificationStream stream, AlgdModel model) {
        this.stream = stream;
        Set<Capability> all = new HashSet<>();
        all.add(new BasicCapability(CapabilityURN.NOTIFICATION));
        all.add(new BasicCapability(CapabilityURN.INTERLEAVE));
        for (YangModuleInfo info : modulesBeyond(model)) {
            all.add(new YangModuleCapability(info.getName().getNamespace().toString(),
                    info.getName().getLocalName(), info.getName().getRevision().map(Object::toString).orElse(null),
                    text(info)));
        }
        this.capabilities = Set.copyOf(all);
    }

    /** {@link #MODULES} and everything they import, less the modules {@code model} already serves. */
    static Set<YangModuleInfo> modulesBeyond(AlgdModel model) {
        Set<YangModuleInfo> all = new HashSet<>();
        MODULES.forEach(info -> collect(info, all));
        all.removeIf(info -> model.modelContext().findModule(info.getName().getModule()).isPresent());
        return all;
    }

    private static void collect(YangModuleInfo info, Set<YangModuleInfo> into) {
        if (into.add(info)) {
            info.getImportedModules().forEach(imported -> collect(imported, into));
        }
    }

    static String text(YangModuleInfo info) {
        try {
            return info.getYangTextCharSource().read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the YANG text of " + info.getName(), e);
        }
    }

    @Override
    public Set<Capability> getCapabilities() {
        return capabilities;
    }

    @Override
    public Registration registerCapabilityListener(CapabilityListener listener) {
        listener.onCapabilitiesChanged(capabilities, Set.of());
        return () -> { };
    }

    @Override
    public NetconfOperationService createService(SessionIdType sessionId) {
        long session = sessionId.getValue().longValue();
        Set<NetconfOperation> operations = Set.of(new CreateSubscription(stream, session));
        return new NetconfOperationService() {
            @Override
            public Set<NetconfOperation> getNetconfOperations() {
                return operations;
            }

            @Override
            public void close() {
                stream.unsubscribe(session);
            }
        };
    }
}
