package dev.algd.server.netconf;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** An operation that rewrites the startup datastore: refused while another session holds the startup lock. */
abstract class StartupChange extends DatastoreOperation {
    private final String name;
    final SharedDatastores datastores;
    final StartupDatastore startup;
    private final long session;

    StartupChange(String name, SharedDatastores datastores, StartupDatastore startup, long session) {
        super(name);
        this.name = name;
        this.datastores = datastores;
        this.startup = startup;
        this.session = session;
    }

    @Override
    public final Document handle(Document request, NetconfOperationChainedExecution next) {
        Element operation = (Element) request.getDocumentElement().getElementsByTagNameNS("*", name).item(0);
        String refusal = refusal(operation);
        if (refusal != null) {
            return RpcReplies.failure(request, "protocol", "operation-not-supported", refusal);
        }
        long holder = datastores.blockingHolder(SharedDatastores.STARTUP, session);
        if (holder != SharedDatastores.FREE) {
            return RpcReplies.inUse(request, holder, "the startup datastore is locked by session " + holder);
        }
        try {
            change(operation);
            return RpcReplies.ok(request);
        } catch (IOException e) {
            return RpcReplies.failure(request, "application", "operation-failed", e.getMessage());
        } catch (InterruptedException | ExecutionException e) {
            return Commit.unreadableCandidate(request, e);
        }
    }

    /** Why this request is not supported, or null when it is. */
    abstract String refusal(Element operation);

    abstract void change(Element operation) throws IOException, InterruptedException, ExecutionException;

    /**
     * The datastore named inside {@code <target>} or {@code <source>}: "running", "startup", "url", "config"...,
     * or null when the parameter is missing or empty.
     */
    static String datastoreIn(Element operation, String parameter) {
        if (operation == null) {
            return null;
        }
        for (Element element : WithDefaults.children(operation)) {
            if (parameter.equals(element.getLocalName())) {
                var inner = WithDefaults.children(element);
                return inner.isEmpty() ? null : inner.getFirst().getLocalName();
            }
        }
        return null;
    }
}
