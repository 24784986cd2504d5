package dev.algd.server.netconf;

import com.google.common.util.concurrent.FluentFuture;
import dev.algd.engine.Engine;
import dev.algd.engine.SessionView;
import dev.algd.engine.alg.ExpectationView;
import dev.algd.io.DataPlaneGroup;
import dev.algd.server.model.Nodes.SessionTable;
import java.util.List;
import java.util.Optional;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.mdsal.dom.api.DOMDataTreeReadTransaction;
import org.opendaylight.mdsal.dom.api.DOMDataTreeReadWriteTransaction;
import org.opendaylight.mdsal.dom.spi.ForwardingDOMDataBroker;
import org.opendaylight.mdsal.dom.spi.ForwardingDOMDataReadOnlyTransaction;
import org.opendaylight.mdsal.dom.spi.ForwardingDOMDataReadWriteTransaction;
import org.opendaylight.yangtools.yang.common.Uint64;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifierWithPredicates;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.PathArgument;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNodes;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/**
 * A broker whose operational reads of {@code session-table} are answered from the engine at read time, so the
 * session table is never mirrored into the datastore. A read of one session by key asks the engine for that
 * session only.
 */
final class LiveStateBroker extends ForwardingDOMDataBroker {
    private final DOMDataBroker delegate;
    private final DataPlaneGroup dataPlane;

    LiveStateBroker(DOMDataBroker delegate, DataPlaneGroup dataPlane) {
        this.delegate = delegate;
        this.dataPlane = dataPlane;
    }

    @Override
    protected DOMDataBroker delegate() {
        return delegate;
    }

    @Override
    public DOMDataTreeReadTransaction newReadOnlyTransaction() {
        DOMDataTreeReadTransaction tx = delegate.newReadOnlyTransaction();
        return new ForwardingDOMDataReadOnlyTransaction() {
            @Override
            protected DOMDataTreeReadTransaction delegate() {
                return tx;
            }

            @Override
            public FluentFuture<Optional<NormalizedNode>> read(LogicalDatastoreType store, YangInstanceIdentifier path) {
                return readLive(store, path, tx);
            }
        };
    }

    @Override
    public DOMDataTreeReadWriteTransaction newReadWriteTransaction() {
        DOMDataTreeReadWriteTransaction tx = delegate.newReadWriteTransaction();
        return new ForwardingDOMDataReadWriteTransaction() {
            @Override
            protected DOMDataTreeReadWriteTransaction delegate() {
                return tx;
            }

            @Override
            public FluentFuture<Optional<NormalizedNode>> read(LogicalDatastoreType store, YangInstanceIdentifier path) {
                return readLive(store, path, tx);
            }
        };
    }

    /**
     * Operational reads are what {@code <get>} sees, and RFC 6241 §7.7 wants running configuration and state
     * together there: configuration nodes are read from running, the session table from the engine.
     */
    private FluentFuture<Optional<NormalizedNode>> readLive(LogicalDatastoreType store, YangInstanceIdentifier path,
            org.opendaylight.mdsal.dom.api.DOMDataTreeReadOperations tx) {
        if (store != LogicalDatastoreType.OPERATIONAL) {
            return tx.read(store, path);
        }
        List<PathArgument> args = path.getPathArguments();
        if (args.isEmpty()) {
            var state = tx.read(LogicalDatastoreType.OPERATIONAL, path);
            var config = readRunning(path);
            // Read now, on the caller's thread: the callable may run on the thread that completes a future.
            boolean isTableApart = SessionTableGet.isSessionTableApart();
            return FluentFuture.from(com.google.common.util.concurrent.Futures.whenAllSucceed(state, config)
                    .call(() -> Optional.of(withLiveState(merge(config.get(), state.get()), isTableApart)),
                            com.google.common.util.concurrent.MoreExecutors.directExecutor()));
        }
        if (args.getFirst().equals(AlgStateNodes.STATE) || args.getFirst().equals(DataPlaneNodes.STATE)) {
            NormalizedNode state = args.getFirst().equals(AlgStateNodes.STATE) ? algState() : dataPlaneState();
            return FluentFuture.from(com.google.common.util.concurrent.Futures.immediateFuture(
                    NormalizedNodes.findNode(state, args.subList(1, args.size()))));
        }
        if (!args.getFirst().equals(SessionTableNodes.TABLE)) {
            return readRunning(path).transformAsync(
                    config -> config.isPresent() ? FluentFuture.from(
                            com.google.common.util.concurrent.Futures.immediateFuture(config))
                            : tx.read(LogicalDatastoreType.OPERATIONAL, path),
                    com.google.common.util.concurrent.MoreExecutors.directExecutor());
        }
        NormalizedNode answer;
        if (args.size() >= 3 && args.get(2) instanceof NodeIdentifierWithPredicates key) {
            long id = ((Uint64) key.getValue(SessionTable.ID)).longValue();
            SessionView one = dataPlane.queryWorker(id, engine -> engine.session(id, System.nanoTime()));
            if (one == null) {
                return FluentFuture.from(com.google.common.util.concurrent.Futures.immediateFuture(Optional.empty()));
            }
            answer = SessionTableNodes.table(List.of(one));
        } else {
            answer = SessionTableNodes.table(allSessions());
        }
        Optional<NormalizedNode> found = NormalizedNodes.findNode(answer, args.subList(1, args.size()));
        return FluentFuture.from(com.google.common.util.concurrent.Futures.immediateFuture(found));
    }

    private record AlgSnapshot(dev.algd.engine.config.EngineConfig config,
            java.util.Set<dev.algd.engine.config.AlgId> implemented, dev.algd.engine.alg.AlgCounters counters,
            List<ExpectationView> expectations) {
    }

    /** Takes the snapshot on the worker and renders it here, so the worker spends no time building nodes. */
    private ContainerNode algState() {
        AlgSnapshot snapshot = dataPlane.query(engine -> new AlgSnapshot(engine.config(),
                java.util.Arrays.stream(dev.algd.engine.config.AlgId.values()).filter(engine::isImplemented)
                        .collect(java.util.stream.Collectors.toUnmodifiableSet()),
                engine.algCounters(), engine.expectations(System.nanoTime())),
                (a, b) -> new AlgSnapshot(a.config(), a.implemented(), a.counters().plus(b.counters()),
                        union(a.expectations(), b.expectations())));
        return AlgStateNodes.algState(snapshot.config(), snapshot.implemented(), snapshot.counters(),
                snapshot.expectations());
    }

    /**
     * Two workers' expectations as one list: an expectation whose child steers to another worker is stored by its
     * parent's worker and posted to the child's, and is listed once.
     */
    static List<ExpectationView> union(List<ExpectationView> a, List<ExpectationView> b) {
        java.util.Map<ExpectationView, ExpectationView> byTuple = new java.util.LinkedHashMap<>();
        for (ExpectationView view : concat(a, b)) {
            byTuple.merge(view.withTimeoutSeconds(0), view,
                    (first, second) -> first.timeoutSeconds() <= second.timeoutSeconds() ? first : second);
        }
        return List.copyOf(byTuple.values());
    }

    private ContainerNode dataPlaneState() {
        return DataPlaneNodes.dataPlane(dataPlane.workers(), dataPlane.counters(),
                dataPlane.query(Engine::counters, dev.algd.engine.EngineCounters::plus), dataPlane.workerCounters());
    }

    private List<SessionView> allSessions() {
        return SessionTableWalk.all(dataPlane, "the YANG codec");
    }

    /** Two workers' lists as one (management path). */
    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new java.util.ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /** A transaction is bound to the first datastore it reads, so running is read through its own. */
    private FluentFuture<Optional<NormalizedNode>> readRunning(YangInstanceIdentifier path) {
        try (DOMDataTreeReadTransaction running = delegate.newReadOnlyTransaction()) {
            return running.read(LogicalDatastoreType.CONFIGURATION, path);
        }
    }

    private static Optional<NormalizedNode> merge(Optional<NormalizedNode> config, Optional<NormalizedNode> state) {
        if (config.isEmpty() || !(config.get() instanceof ContainerNode configRoot)) {
            return state;
        }
        var root = ImmutableNodes.newContainerBuilder().withNodeIdentifier(configRoot.name());
        configRoot.body().forEach(root::withChild);
        if (state.isPresent() && state.get() instanceof ContainerNode stateRoot) {
            stateRoot.body().forEach(root::withChild);
        }
        return Optional.of(root.build());
    }

    /** The root with the live state added: alg-state, and the session table unless {@link SessionTableGet} adds it. */
    private ContainerNode withLiveState(Optional<NormalizedNode> storedRoot, boolean isTableApart) {
        var root = ImmutableNodes.newContainerBuilder();
        if (storedRoot.isPresent() && storedRoot.get() instanceof ContainerNode container) {
            root.withNodeIdentifier(container.name());
            container.body().forEach(root::withChild);
        } else {
            root.withNodeIdentifier(new YangInstanceIdentifier.NodeIdentifier(
                    org.opendaylight.yangtools.yang.model.api.SchemaContext.NAME));
        }
        if (!isTableApart) {
            root.withChild(SessionTableNodes.table(allSessions()));
        }
        return root.withChild(algState()).withChild(dataPlaneState()).build();
    }
}
