package dev.algd.server.netconf;

import dev.algd.server.ConfigCommitter;
import dev.algd.server.model.AlgdModel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.mdsal.dom.broker.SerializedDOMDataBroker;
import org.opendaylight.mdsal.dom.store.inmemory.InMemoryDOMDataStore;
import org.opendaylight.netconf.api.TransportConstants;
import org.opendaylight.netconf.common.di.DefaultNetconfTimer;
import org.opendaylight.netconf.northbound.monitoring.MdsalMonitoringMapperFactory;
import org.opendaylight.netconf.server.NetconfServerSessionNegotiatorFactory;
import org.opendaylight.netconf.server.ServerTransportInitializer;
import org.opendaylight.netconf.server.impl.DefaultSessionIdProvider;
import org.opendaylight.netconf.server.mdsal.operations.MapperAggregatorRegistry;
import org.opendaylight.netconf.server.osgi.AggregatedNetconfOperationServiceFactory;
import org.opendaylight.netconf.server.osgi.NetconfMonitoringServiceImpl;
import org.opendaylight.netconf.transport.api.UnsupportedConfigurationException;
import org.opendaylight.netconf.transport.ssh.SSHServer;
import org.opendaylight.netconf.transport.ssh.SSHTransportStackFactory;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.netconf.server.rev240814.netconf.server.listen.stack.grouping.transport.ssh.ssh.TcpServerParametersBuilder;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.IetfInetUtil;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.PortNumber;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.tcp.server.rev241010.tcp.server.grouping.LocalBindBuilder;
import org.opendaylight.yangtools.binding.util.BindingMap;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;

/**
 * OpenDaylight's NETCONF server over SSH on mdsal's in-memory datastores, wired by hand (no OSGi, no
 * controller): the "Lite" wiring measured in shared/design/stack.md. The SSH host key lives in a file so that
 * clients' known_hosts survive a restart.
 */
public final class NetconfServer implements AutoCloseable {
    private final InMemoryDOMDataStore configStore;
    private final InMemoryDOMDataStore operationalStore;
    private final DOMDataBroker broker;
    private final DefaultNetconfTimer timer = new DefaultNetconfTimer();
    private final SSHTransportStackFactory transportFactory = new SSHTransportStackFactory("algd-netconf", 0);
    private final MapperAggregatorRegistry operations = new MapperAggregatorRegistry();
    private final NetconfMonitoringServiceImpl monitoring;
    private final MdsalMonitoringMapperFactory monitoringOperations;
    /** SSH idle checks and confirmed-commit timeouts. */
    private final java.util.concurrent.ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "algd-timers");
                thread.setDaemon(true);
                return thread;
            });
    private SSHServer sshServer;
    private final SessionEventNotifications sessionEvents;
    private final YangLibrary yangLibrary;

    private final StartupDatastore startup;
    private final dev.algd.io.DataPlaneGroup dataPlane;

    /** {@code startupFile}: the startup datastore, which copy-config and delete-config rewrite. */
    public NetconfServer(AlgdModel model, dev.algd.io.DataPlaneGroup dataPlane, ConfigCommitter committer,
            dev.algd.server.config.ConfigFile startupFile) throws java.io.IOException {
        startup = new StartupDatastore(startupFile, model.modelContext());
        this.dataPlane = dataPlane;
        var executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "algd-datastore"));
        configStore = new InMemoryDOMDataStore("CFG", LogicalDatastoreType.CONFIGURATION, executor, 1000, false);
        operationalStore = new InMemoryDOMDataStore("OPER", LogicalDatastoreType.OPERATIONAL, executor, 1000, false);
        configStore.onModelContextUpdated(model.modelContext());
        operationalStore.onModelContextUpdated(model.modelContext());
        DOMDataBroker stores = new SerializedDOMDataBroker(Map.of(
                LogicalDatastoreType.CONFIGURATION, configStore,
                LogicalDatastoreType.OPERATIONAL, operationalStore), com.google.common.util.concurrent.MoreExecutors.directExecutor());
        broker = new LiveStateBroker(stores, dataPlane);
        operations.onAddNetconfOperationServiceFactory(new AlgdOperationServiceFactory(model, broker, committer,
                timers, dataPlane, startup));
        NotificationStream notifications = new NotificationStream();
        SessionLifecycleNotifications lifecycle = new SessionLifecycleNotifications(notifications);
        operations.onAddNetconfOperationServiceFactory(new NotificationOperationServiceFactory(notifications,
                lifecycle, model));
        yangLibrary = new YangLibrary(model);
        operations.onAddNetconfOperationServiceFactory(yangLibrary);
        sessionEvents = new SessionEventNotifications(dataPlane, notifications);
        monitoring = new NetconfMonitoringServiceImpl(operations);
        committer.changeListener(new ConfigChangeNotifications(notifications, monitoring, model.modelContext()));
        monitoring.registerSessionsListener(lifecycle);
        monitoringOperations = new MdsalMonitoringMapperFactory(operations, monitoring);
    }

    /** Publishes RFC 6022 {@code /netconf-state/schemas} (the modules get-schema serves); the model never changes. */
    private void publishSchemas() throws ExecutionException, InterruptedException {
        var tx = broker.newWriteOnlyTransaction();
        tx.put(LogicalDatastoreType.OPERATIONAL, NetconfStateSchemas.PATH, NetconfStateSchemas.of(monitoring));
        tx.commit().get();
    }

    /** Writes the configuration algd booted with into the running datastore, before any client connects. */
    public void loadRunning(ContainerNode root) throws ExecutionException, InterruptedException {
        yangLibrary.writeTo(broker, new AdvertisedCapabilities(monitoring).getCapabilities().requireCapability()
                .stream().map(uri -> uri.getValue()).collect(java.util.stream.Collectors.toSet()));
        var tx = broker.newWriteOnlyTransaction();
        for (DataContainerChild child : root.body()) {
            tx.put(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of(child.name()), child);
        }
        tx.commit().get();
    }

    /** Starts listening; returns the bound address. */
    public InetSocketAddress listen(String address, int port, SshAccess access)
            throws UnsupportedConfigurationException, ExecutionException, InterruptedException {
        publishSchemas();
        AggregatedNetconfOperationServiceFactory aggregated = new AggregatedNetconfOperationServiceFactory(List.of(operations));
        var negotiators = NetconfServerSessionNegotiatorFactory.builder()
                .setTimer(timer)
                .setAggregatedOpService(aggregated)
                .setIdProvider(new DefaultSessionIdProvider())
                .setConnectionTimeoutMillis(20_000)
                .setMonitoringService(new AdvertisedCapabilities(monitoring))
                // OpenDaylight's defaults also claim :exi, which algd does not implement; the hello lists only
                // what works (the operation factories add candidate, validate, notification, interleave).
                .setBaseCapabilities(java.util.Set.of(org.opendaylight.netconf.api.CapabilityURN.BASE,
                        org.opendaylight.netconf.api.CapabilityURN.BASE_1_1))
                .build();
        var listenParams = new TcpServerParametersBuilder()
                .setLocalBind(BindingMap.of(new LocalBindBuilder()
                        .setLocalAddress(IetfInetUtil.ipAddressFor(address))
                        .setLocalPort(new PortNumber(Uint16.valueOf(port)))
                        .build()))
                .build();
        sshServer = transportFactory.listenServer(TransportConstants.SSH_SUBSYSTEM,
                SessionTableStream.around(MalformedMessages.around(new ServerTransportInitializer(negotiators)),
                        dataPlane), listenParams, null,
                factory -> access.configure(factory, timers)).get();
        sessionEvents.start(timers);
        return new InetSocketAddress(address, port);
    }

    @Override
    public void close() throws Exception {
        if (sshServer != null) {
            sshServer.shutdown().get();
        }
        timers.shutdownNow();
        monitoringOperations.close();
        monitoring.close();
        transportFactory.close();
        timer.close();
        configStore.close();
        startup.close();
        operationalStore.close();
    }
}
