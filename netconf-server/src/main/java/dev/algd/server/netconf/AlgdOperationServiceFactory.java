package dev.algd.server.netconf;

import dev.algd.server.ConfigCommitter;
import dev.algd.server.model.AlgdModel;
import java.util.HashSet;
import java.util.Set;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.netconf.api.CapabilityURN;
import org.opendaylight.netconf.databind.DatabindContext;
import org.opendaylight.netconf.databind.DatabindProvider;
import org.opendaylight.netconf.server.api.monitoring.BasicCapability;
import org.opendaylight.netconf.server.api.monitoring.Capability;
import org.opendaylight.netconf.server.api.monitoring.CapabilityListener;
import org.opendaylight.netconf.server.api.monitoring.YangModuleCapability;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationService;
import org.opendaylight.netconf.server.api.operations.NetconfOperationServiceFactory;
import org.opendaylight.netconf.server.mdsal.TransactionProvider;
import org.opendaylight.netconf.server.mdsal.operations.Get;
import org.opendaylight.netconf.server.mdsal.operations.GetConfig;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.netconf.base._1._0.rev110601.SessionIdType;
import org.opendaylight.yangtools.concepts.Registration;
import org.opendaylight.yangtools.yang.common.Revision;

/**
 * The datastore operations each NETCONF session gets, all over one shared candidate ({@link SharedDatastores}).
 * OpenDaylight's get, get-config and edit-config parse and serialise; commit, validate, discard-changes, lock and
 * unlock are algd's own (engine veto, global locks, RFC 6241 rpc-errors), and so are copy-config and delete-config,
 * which serve startup only: OpenDaylight's copy-config {@code <url>} would write any file the daemon can write.
 */
public final class AlgdOperationServiceFactory implements NetconfOperationServiceFactory {
    private final DOMDataBroker broker;
    private final SharedDatastores datastores;
    private final ConfirmedCommits confirmedCommits;
    private final ConfigCommitter committer;
    private final DatabindProvider databind;
    private final Set<Capability> capabilities;

    private final dev.algd.io.DataPlaneGroup dataPlane;
    private final StartupDatastore startup;
    private final DataSchema schema;
    private final UnknownNodes unknownNodes;
    private final ValuelessLeaves valuelessLeaves;

    public AlgdOperationServiceFactory(AlgdModel model, DOMDataBroker broker, ConfigCommitter committer,
            java.util.concurrent.ScheduledExecutorService timer, dev.algd.io.DataPlaneGroup dataPlane,
            StartupDatastore startup) {
        this.dataPlane = dataPlane;
        this.startup = startup;
        this.schema = new DataSchema(model.modelContext());
        this.unknownNodes = new UnknownNodes(schema);
        this.valuelessLeaves = new ValuelessLeaves(schema, unknownNodes, model.modelContext());
        this.broker = broker;
        this.datastores = new SharedDatastores(broker);
        this.confirmedCommits = new ConfirmedCommits(broker, committer, datastores, timer);
        this.committer = committer;
        DatabindContext context = DatabindContext.ofModel(model.modelContext());
        this.databind = () -> context;
        Set<Capability> all = new HashSet<>();
        all.add(new BasicCapability(CapabilityURN.VALIDATE));
        all.add(new BasicCapability(CapabilityURN.WRITABLE_RUNNING));
        all.add(new BasicCapability(CapabilityURN.CONFIRMED_COMMIT_1_1));
        all.add(new BasicCapability(CapabilityURN.STARTUP));
        all.add(new BasicCapability(CapabilityURN.ROLLBACK_ON_ERROR));
        all.add(new BasicCapability(WithDefaults.CAPABILITY));
        all.add(new BasicCapability(CapabilityURN.XPATH));
        for (var module : model.modelContext().getModules()) {
            model.yangText(module.getSourceIdentifier()).ifPresent(text -> all.add(new YangModuleCapability(
                    module.getNamespace().toString(), module.getName(),
                    module.getRevision().map(Revision::toString).orElse(null), text)));
        }
        this.capabilities = Set.copyOf(all);
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
        TransactionProvider shared = datastores.candidate();
        Set<NetconfOperation> operations = Set.of(
                ReadOperation.get(new SessionTableGet(new Get(sessionId, databind, shared), dataPlane), schema),
                ReadOperation.getConfig(new GetConfig(sessionId, databind, shared),
                        new GetConfig(sessionId, databind, startup.reads(sessionId)), schema),
                new EditConfig(new org.opendaylight.netconf.server.mdsal.operations.EditConfig(sessionId, databind,
                        shared), datastores, session, new EditConfig.EditSupport() {
                            @Override
                            public TransactionProvider newTransaction() {
                                return new TransactionProvider(broker, sessionId);
                            }

                            @Override
                            public NetconfOperation editOver(TransactionProvider transactions) {
                                return new org.opendaylight.netconf.server.mdsal.operations.EditConfig(sessionId,
                                        databind, transactions);
                            }

                            @Override
                            public ConfigCommitter committer() {
                                return committer;
                            }

                            @Override
                            public UnknownNodes unknownNodes() {
                                return unknownNodes;
                            }

                            @Override
                            public ValuelessLeaves valuelessLeaves() {
                                return valuelessLeaves;
                            }
                        }),
                new DiscardChanges(datastores, session),
                new Commit(datastores, committer, confirmedCommits, session),
                new CancelCommit(confirmedCommits, session),
                new ClearSessions(dataPlane),
                new UnsupportedOperation(),
                new Validate(datastores, committer),
                new Lock(datastores, session, false),
                new Lock(datastores, session, true),
                new CopyConfig(datastores, startup, session),
                new DeleteConfig(datastores, startup, session));
        return new NetconfOperationService() {
            @Override
            public Set<NetconfOperation> getNetconfOperations() {
                return operations;
            }

            @Override
            public void close() {
                confirmedCommits.sessionEnded(session);
                datastores.sessionEnded(session);
            }
        };
    }
}
