package dev.algd.server.netconf;

import com.google.common.util.concurrent.MoreExecutors;
import dev.algd.server.config.ConfigFile;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.mdsal.dom.api.DOMDataBroker;
import org.opendaylight.mdsal.dom.broker.SerializedDOMDataBroker;
import org.opendaylight.mdsal.dom.store.inmemory.InMemoryDOMDataStore;
import org.opendaylight.netconf.server.mdsal.TransactionProvider;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.netconf.base._1._0.rev110601.SessionIdType;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;

/**
 * The startup datastore (RFC 6241 §8.7): the {@code --config} file a clean boot loads. Only copy-config and
 * delete-config change it; commits change running, which is kept apart (see {@code Main}). Its content is also
 * held in an in-memory store of its own, so get-config of startup is OpenDaylight's get-config over that store,
 * filters and all.
 */
final class StartupDatastore implements AutoCloseable {
    private final ConfigFile file;
    private final InMemoryDOMDataStore store;
    private final DOMDataBroker broker;

    StartupDatastore(ConfigFile file, EffectiveModelContext modelContext) throws IOException {
        this.file = file;
        store = new InMemoryDOMDataStore("STARTUP", LogicalDatastoreType.CONFIGURATION,
                MoreExecutors.newDirectExecutorService(), 1000, false);
        store.onModelContextUpdated(modelContext);
        broker = new SerializedDOMDataBroker(Map.of(LogicalDatastoreType.CONFIGURATION, store),
                MoreExecutors.directExecutor());
        load(file.load());
    }

    /** Reads of startup for OpenDaylight's get-config, which sees this store as its running datastore. */
    TransactionProvider reads(SessionIdType session) {
        return new TransactionProvider(broker, session);
    }

    /** Makes {@code root} the startup configuration: the file first (durably), then what get-config reads. */
    synchronized void replace(ContainerNode root) throws IOException {
        file.save(root);
        try {
            load(root);
        } catch (IOException e) {
            throw new IOException("startup was saved to " + file.path() + " but cannot be read back: "
                    + e.getMessage(), e);
        }
    }

    /** delete-config: the file stays, holding an empty configuration, so a clean boot starts with nothing set. */
    void clear() throws IOException {
        replace(empty());
    }

    static ContainerNode empty() {
        return ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(SchemaContext.NAME)).build();
    }

    private void load(ContainerNode root) throws IOException {
        var tx = broker.newWriteOnlyTransaction();
        tx.put(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of(), root);
        try {
            tx.commit().get();
        } catch (InterruptedException | ExecutionException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the startup configuration does not fit the model: "
                    + YangMessages.rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
