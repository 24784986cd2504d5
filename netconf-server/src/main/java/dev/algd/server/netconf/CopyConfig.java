package dev.algd.server.netconf;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.w3c.dom.Element;

/**
 * {@code <copy-config>} (RFC 6241 §7.3) into startup, from running or candidate: the "save" of a router CLI.
 * Every other combination is refused with operation-not-supported naming what is supported; there is no
 * {@code :url}, so no file name ever comes from a client.
 */
final class CopyConfig extends StartupChange {
    CopyConfig(SharedDatastores datastores, StartupDatastore startup, long session) {
        super("copy-config", datastores, startup, session);
    }

    @Override
    String refusal(Element operation) {
        String target = datastoreIn(operation, "target");
        String source = datastoreIn(operation, "source");
        return SharedDatastores.STARTUP.equals(target)
                && (SharedDatastores.RUNNING.equals(source) || SharedDatastores.CANDIDATE.equals(source)) ? null
                : "algd copies only running or candidate to startup, not " + describe(source) + " to "
                        + describe(target);
    }

    @Override
    void change(Element operation) throws IOException, InterruptedException, ExecutionException {
        startup.replace(read(datastoreIn(operation, "source")));
    }

    private ContainerNode read(String source) throws InterruptedException, ExecutionException {
        var candidate = datastores.candidate().getCandidateTransaction();
        if (SharedDatastores.CANDIDATE.equals(source) && candidate.isPresent()) {
            return Commit.candidateRoot(candidate.get());
        }
        try (var running = datastores.broker().newReadOnlyTransaction()) {
            return (ContainerNode) running.read(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of()).get()
                    .orElseGet(StartupDatastore::empty);
        }
    }

    private static String describe(String datastore) {
        return datastore == null ? "(nothing)" : "<" + datastore + ">";
    }
}
