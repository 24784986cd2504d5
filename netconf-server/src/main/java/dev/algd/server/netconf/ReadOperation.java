package dev.algd.server.netconf;

import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code <get>} and {@code <get-config>}: OpenDaylight reads and serialises (and its session applies subtree
 * filters to the reply afterwards); algd adds the startup source (read from {@link StartupDatastore}'s own
 * store, which OpenDaylight's get-config is told is running), RFC 6243 with-defaults and XPath filters (which
 * OpenDaylight does not know: it reads everything, then {@link XPathFilter} picks).
 */
final class ReadOperation implements NetconfOperation {
    private final String name;
    private final NetconfOperation delegate;
    private final NetconfOperation startupReads;
    private final DataSchema schema;
    private final WithDefaults withDefaults;
    private final UnknownNodes unknownNodes;

    /** {@code <get>}. */
    static ReadOperation get(NetconfOperation delegate, DataSchema schema) {
        return new ReadOperation("get", delegate, null, schema);
    }

    /** {@code <get-config>}; {@code startupReads}: OpenDaylight's get-config over the startup store. */
    static ReadOperation getConfig(NetconfOperation delegate, NetconfOperation startupReads, DataSchema schema) {
        return new ReadOperation("get-config", delegate, startupReads, schema);
    }

    private ReadOperation(String name, NetconfOperation delegate, NetconfOperation startupReads, DataSchema schema) {
        this.name = name;
        this.delegate = delegate;
        this.startupReads = startupReads;
        this.schema = schema;
        this.withDefaults = new WithDefaults(schema);
        this.unknownNodes = new UnknownNodes(schema);
    }

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        // OpenDaylight's own priority: its monitoring <get> (one higher) must still chain to this one.
        return delegate.canHandle(message);
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) throws DocumentedException {
        Document odlRequest = (Document) request.cloneNode(true);
        Element operation = (Element) odlRequest.getElementsByTagNameNS(NamespaceURN.BASE, name).item(0);
        WithDefaults.Mode mode = WithDefaults.Mode.EXPLICIT;
        for (Element parameter : WithDefaults.children(operation)) {
            if (WithDefaults.NAMESPACE.equals(parameter.getNamespaceURI())
                    && "with-defaults".equals(parameter.getLocalName())) {
                String text = parameter.getTextContent().strip();
                var named = WithDefaults.Mode.named(text);
                if (named.isEmpty()) {
                    return refusal(request, RpcReplies.failure(request, "protocol", "invalid-value", "with-defaults '"
                            + text + "' is not one of explicit, report-all, report-all-tagged, trim"));
                }
                mode = named.get();
                operation.removeChild(parameter);
            }
        }
        XPathFilter xpath = null;
        for (Element parameter : WithDefaults.children(operation)) {
            if ("filter".equals(parameter.getLocalName()) && "xpath".equals(parameter.getAttribute("type"))) {
                try {
                    xpath = XPathFilter.of(parameter);
                } catch (XPathFilter.BadFilter e) {
                    return refusal(request, RpcReplies.failure(request, "protocol", "invalid-value", e.getMessage()));
                }
                operation.removeChild(parameter);  // OpenDaylight reads everything; the filter applies below
            } else if ("filter".equals(parameter.getLocalName())) {
                UnknownNodes.Unknown unknown = unknownNodes.findInFilter(WithDefaults.children(parameter));
                if (unknown != null) {
                    return refusal(request, RpcReplies.unknown(request, unknown));
                }
            }
        }
        Document reply;
        if (startupReads != null && SharedDatastores.STARTUP.equals(StartupChange.datastoreIn(operation, "source"))) {
            reply = startupReads.handle(withSourceRunning(odlRequest), next);
        } else if (xpath != null || mode != WithDefaults.Mode.EXPLICIT) {
            reply = SessionTableGet.inDom(() -> delegate.handle(odlRequest, next));  // both read the tree below
        } else {
            reply = delegate.handle(odlRequest, next);
        }
        if (WithDefaults.children(operation).stream().noneMatch(p -> "filter".equals(p.getLocalName()))) {
            // Applied here (XPath) or by SessionTableGet, which took it out of odlRequest: OpenDaylight's session,
            // which reads the filter from the request it gave us, must not apply it to the reply a second time.
            dropFilters(request);
        }
        Element data = (Element) reply.getElementsByTagNameNS(NamespaceURN.BASE, "data").item(0);
        if (data != null) {
            withDefaults.apply(data, mode, startupReads != null);
            if (xpath != null) {
                try {
                    xpath.apply(data, schema);
                } catch (XPathFilter.BadFilter e) {
                    return refusal(request, RpcReplies.failure(request, "protocol", "invalid-value", e.getMessage()));
                }
            }
        }
        return reply;
    }

    /**
     * An error reply, made safe from OpenDaylight's session: it applies the request's subtree filter to whatever
     * a get or get-config answers, and on a reply without {@code <data>} that fails with missing-element instead
     * of sending this error. The session reads the filter from the request document it gave us.
     */
    private Document refusal(Document request, Document error) {
        dropFilters(request);
        return error;
    }

    private void dropFilters(Document request) {
        Element operation = (Element) request.getElementsByTagNameNS(NamespaceURN.BASE, name).item(0);
        for (Element parameter : WithDefaults.children(operation)) {
            if ("filter".equals(parameter.getLocalName())) {
                operation.removeChild(parameter);
            }
        }
    }

    private static Document withSourceRunning(Document request) {
        Element source = (Element) request.getElementsByTagNameNS("*", "source").item(0);
        Element startup = (Element) source.getElementsByTagNameNS("*", SharedDatastores.STARTUP).item(0);
        source.replaceChild(request.createElementNS(startup.getNamespaceURI(), SharedDatastores.RUNNING), startup);
        return request;
    }
}
