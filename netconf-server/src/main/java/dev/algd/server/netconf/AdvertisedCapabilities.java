package dev.algd.server.netconf;

import java.util.Optional;
import org.opendaylight.netconf.api.CapabilityURN;
import org.opendaylight.netconf.server.api.monitoring.NetconfMonitoringService;
import org.opendaylight.netconf.server.api.monitoring.SessionListener;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.Capabilities;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.CapabilitiesBuilder;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.Schemas;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.monitoring.rev101004.netconf.state.Sessions;
import org.opendaylight.yangtools.concepts.Registration;

/**
 * The monitoring service as the hello sees it, minus {@code :url}: OpenDaylight's capability monitor adds
 * {@code :url:1.0?scheme=file} unconditionally, but algd serves no copy-config with a URL.
 */
final class AdvertisedCapabilities implements NetconfMonitoringService {
    private final NetconfMonitoringService delegate;

    AdvertisedCapabilities(NetconfMonitoringService delegate) {
        this.delegate = delegate;
    }

    @Override
    public Capabilities getCapabilities() {
        Capabilities all = delegate.getCapabilities();
        return new CapabilitiesBuilder(all)
                .setCapability(all.requireCapability().stream()
                        .filter(uri -> !uri.getValue().startsWith(CapabilityURN.URL))
                        .collect(com.google.common.collect.ImmutableSet.toImmutableSet()))
                .build();
    }

    @Override
    public Sessions getSessions() {
        return delegate.getSessions();
    }

    @Override
    public SessionListener getSessionListener() {
        return delegate.getSessionListener();
    }

    @Override
    public Schemas getSchemas() {
        return delegate.getSchemas();
    }

    @Override
    public String getSchemaForCapability(String moduleName, Optional<String> revision) {
        return delegate.getSchemaForCapability(moduleName, revision);
    }

    @Override
    public Registration registerCapabilitiesListener(CapabilitiesListener listener) {
        return delegate.registerCapabilitiesListener(listener);
    }

    @Override
    public Registration registerSessionsListener(SessionsListener listener) {
        return delegate.registerSessionsListener(listener);
    }
}
