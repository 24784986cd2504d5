package dev.algd.server.netconf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.algd.server.ConfigCommitter;
import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.netconf.server.mdsal.TransactionProvider;
import org.opendaylight.netconf.server.api.operations.HandlingPriority;
import org.opendaylight.netconf.server.api.operations.NetconfOperation;
import org.opendaylight.netconf.server.api.operations.NetconfOperationChainedExecution;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@code <edit-config>} on candidate, and on running ({@code :writable-running}): an edit of running is made in a
 * private transaction and then goes through the same commit as the candidate (validated, applied to the engine,
 * persisted, all or nothing). Parsing is OpenDaylight's, with its type errors turned into RFC 6241 rpc-errors. Its parser throws a
 * bare IllegalArgumentException for a value outside its type ("Invalid range: 70000, ..."), which the server
 * would answer as "Unexpected error"; this names the leaf that carries the value instead. An edit of a datastore
 * another session has locked is refused with in-use.
 */
final class EditConfig implements NetconfOperation {
    /** yangtools names the value either quoted ("Value '0' is not in required ranges") or after a colon. */
    private static final Pattern OFFENDING_VALUE = Pattern.compile("'([^']+)'|:\\s*([^,\\s]+)");

    private final NetconfOperation delegate;
    private final SharedDatastores datastores;
    private final long session;
    private final RunningEdits running;

    /** What an edit of running needs: a private transaction to edit, and the commit path. */
    interface RunningEdits {
        /** A fresh provider whose candidate transaction will hold one edit of running. */
        TransactionProvider newTransaction();

        /** OpenDaylight's edit-config over {@code transactions}. */
        NetconfOperation editOver(TransactionProvider transactions);

        ConfigCommitter committer();
    }

    EditConfig(NetconfOperation delegate, SharedDatastores datastores, long session, RunningEdits running) {
        this.delegate = delegate;
        this.datastores = datastores;
        this.session = session;
        this.running = running;
    }

    @Override
    public HandlingPriority canHandle(Document message) throws DocumentedException {
        return delegate.canHandle(message);
    }

    @Override
    public Document handle(Document request, NetconfOperationChainedExecution next) throws DocumentedException {
        String target = Lock.target(request);
        long holder = target == null ? SharedDatastores.FREE : datastores.blockingHolder(target, session);
        if (holder != SharedDatastores.FREE) {
            return RpcReplies.inUse(request, holder, "the " + target + " datastore is locked by session " + holder);
        }
        try {
            if (SharedDatastores.RUNNING.equals(target)) {
                return editRunning(request, next);
            }
            Document reply = delegate.handle(request, next);
            if (SharedDatastores.CANDIDATE.equals(target)) {
                datastores.candidateModified(session);
            }
            return reply;
        } catch (IllegalArgumentException e) {
            return invalidValue(request, String.valueOf(e.getMessage()));
        }
    }

    private Document editRunning(Document request, NetconfOperationChainedExecution next) throws DocumentedException {
        TransactionProvider transactions = running.newTransaction();
        Document asCandidateEdit = (Document) request.cloneNode(true);
        Element target = (Element) asCandidateEdit.getElementsByTagNameNS("*", "target").item(0);
        Element runningElement = (Element) target.getElementsByTagNameNS("*", "running").item(0);
        target.replaceChild(asCandidateEdit.createElementNS(runningElement.getNamespaceURI(), "candidate"),
                runningElement);
        Document edited = running.editOver(transactions).handle(asCandidateEdit, next);
        var tx = transactions.getCandidateTransaction();
        if (tx.isEmpty()) {
            return edited;
        }
        try {
            running.committer().commit(Commit.candidateRoot(tx.get()), transactions::commitTransaction, session);
            return RpcReplies.ok(request);
        } catch (ConfigCommitter.CommitRefused refused) {
            transactions.abortTransaction();
            return refused.violations().isEmpty()
                    ? RpcReplies.failure(request, "application", "operation-failed", refused.getMessage())
                    : RpcReplies.violations(request, refused.violations());
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            transactions.abortTransaction();
            return Commit.unreadableCandidate(request, e);
        }
    }

    private static Document invalidValue(Document request, String parserMessage) {
        String value = offendingValue(parserMessage);
        List<Element> leaves = new ArrayList<>();
        if (value != null) {
            collectLeavesWithText(configElement(request), value, leaves);
        }
        String reason = parserMessage.replaceAll("\\[\\[", "").replaceAll("]]", "").replaceAll("\\.$", "")
                .replaceAll("\\s+", " ");
        if (leaves.size() != 1) {
            return RpcReplies.failure(request, "application", "invalid-value",
                    "a value in the configuration does not match its YANG type: " + reason);
        }
        Element leaf = leaves.getFirst();
        String path = pathOf(leaf);
        return RpcReplies.violations(request, List.of(new dev.algd.engine.config.Violation(path, "yang-type",
                path + ": '" + leaf.getTextContent().strip() + "' is not a valid " + leaf.getLocalName()
                        + " (" + reason + ")")));
    }

    /** The value a yangtools type error complains about, or null when its message names none. */
    static String offendingValue(String parserMessage) {
        Matcher value = OFFENDING_VALUE.matcher(parserMessage);
        if (!value.find()) {
            return null;
        }
        return value.group(1) != null ? value.group(1) : value.group(2);
    }

    private static Element configElement(Document request) {
        // ncclient sends <config> in no namespace, which OpenDaylight accepts: match the local name only.
        var configs = request.getElementsByTagNameNS("*", "config");
        return configs.getLength() == 0 ? null : (Element) configs.item(0);
    }

    private static void collectLeavesWithText(Element element, String text, List<Element> into) {
        if (element == null) {
            return;
        }
        boolean hasChildElements = false;
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element childElement) {
                hasChildElements = true;
                collectLeavesWithText(childElement, text, into);
            }
        }
        if (!hasChildElements && text.equals(element.getTextContent().strip())) {
            into.add(element);
        }
    }

    /** The schema path of an element inside {@code <config>}, without prefixes, as the validator writes them. */
    private static String pathOf(Element leaf) {
        StringBuilder path = new StringBuilder();
        for (Node node = leaf; node instanceof Element element && !"config".equals(element.getLocalName());
                node = node.getParentNode()) {
            path.insert(0, "/" + element.getLocalName());
        }
        return path.toString();
    }
}
