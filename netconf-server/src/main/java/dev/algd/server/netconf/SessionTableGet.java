package dev.algd.server.netconf;

import dev.algd.io.DataPlaneGroup;
import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@code <get>} of the whole session table, fast: the table is streamed to the client by {@link SessionTableStream}
 * (this operation leaves its placeholder in the reply) instead of going through NormalizedNodes, OpenDaylight's
 * subtree filter and its codec, which took 10.9 s and 2.4 GiB for 51 000 sessions
 * (netconf-server/bench/netconf-bench.py). A read that must see the table as a tree ({@link #inDom}: an XPath
 * filter, with-defaults other than explicit) gets it rendered into the reply's DOM ({@link SessionTableXml}).
 * <p>
 * It wraps OpenDaylight's {@code <get>} (a singleton operation at the highest priority, so nothing can run before
 * it in the chain) and takes over two requests only: a {@code <get>} without a filter, and a subtree filter with an
 * empty {@code <session-table/>} among its top-level nodes. The rest of the request (running configuration,
 * alg-state, other filter nodes) is left to the wrapped {@code <get>}, with the session table taken out of it
 * ({@link #isSessionTableApart()} for the unfiltered read), and the table is appended to the {@code <data>} it
 * answers. Every other filter, a subtree filter for one session included (which must not walk the table), goes to
 * the wrapped {@code <get>} unchanged.
 */
final class SessionTableGet implements NetconfOperation {
    private static final String SESSION_TABLE_NAMESPACE = SessionTableXml.NAMESPACE;
    private static final ScopedValue<Boolean> SESSION_TABLE_APART = ScopedValue.newInstance();
    private static final ScopedValue<Boolean> IN_DOM = ScopedValue.newInstance();

    private final NetconfOperation delegate;
    private final DataPlaneGroup dataPlane;

    /** @param delegate the {@code <get>} that answers everything but the whole session table */
    SessionTableGet(NetconfOperation delegate, DataPlaneGroup dataPlane) {
        this.delegate = delegate;
        this.dataPlane = dataPlane;
    }

    /** Whether the read in progress is for a {@code <get>} whose session table this class renders itself. */
    static boolean isSessionTableApart() {
        return SESSION_TABLE_APART.orElse(false);
    }

    /** Runs {@code read} with the session table, if this class renders it, rendered into the reply's DOM. */
    static Document inDom(ScopedValue.CallableOp<Document, DocumentedException> read) throws DocumentedException {
        return ScopedValue.where(IN_DOM, true).call(read);
    }

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        return delegate.canHandle(message);
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) throws DocumentedException {
        Element get = firstElement(request.getDocumentElement());
        // ncclient sends a filter given as a string without the base namespace; OpenDaylight accepts both.
        Element filter = get == null ? null : child(get, NamespaceURN.BASE, "filter");
        if (filter == null && get != null) {
            filter = child(get, null, "filter");
        }
        Document reply;
        if (filter == null) {
            reply = ScopedValue.where(SESSION_TABLE_APART, true).call(() -> delegate.handle(request, next));
        } else {
            Element table = emptySessionTable(filter);
            if (table == null) {
                return delegate.handle(request, next);
            }
            filter.removeChild(table);
            reply = firstElement(filter) == null ? RpcReplies.data(request) : delegate.handle(request, next);
            // The delegate applied the rest of the filter. Without the filter in the request, OpenDaylight's session
            // listener skips its second pass over the reply (SubtreeFilter.applyRpcSubtreeFilter, "in case
            // registered operations do not implement filtering"), which deep-copies every node of the table.
            get.removeChild(filter);
        }
        Element data = child(reply.getDocumentElement(), NamespaceURN.BASE, "data");
        if (data != null && !IN_DOM.orElse(false)) {
            data.appendChild(SessionTableStream.placeholder(reply));
        } else if (data != null) {
            data.appendChild(SessionTableXml.table(reply, new SessionTableWalk(dataPlane, "a <get> in DOM")));
        }
        return reply;
    }

    /** The {@code <session-table/>} with nothing under it at the top of a subtree filter, or null. */
    private static Element emptySessionTable(Element filter) {
        String type = filter.getAttribute("type");
        if (!type.isEmpty() && !"subtree".equals(type)) {
            return null;
        }
        Element table = child(filter, SESSION_TABLE_NAMESPACE, "session-table");
        return table != null && firstElement(table) == null ? table : null;
    }

    private static Element child(Element parent, String namespace, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())
                    && java.util.Objects.equals(namespace, element.getNamespaceURI())) {
                return element;
            }
        }
        return null;
    }

    private static Element firstElement(Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                return element;
            }
        }
        return null;
    }
}
