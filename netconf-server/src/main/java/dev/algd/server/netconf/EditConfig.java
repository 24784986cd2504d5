package dev.algd.server.netconf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.algd.server.ConfigCommitter;
import org.opendaylight.mdsal.common.api.LogicalDatastoreType;
import org.opendaylight.netconf.api.DocumentedException;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
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
 * persisted, all or nothing). An edit of the candidate is all or nothing too (:rollback-on-error, whatever the
 * error-option): OpenDaylight applies an edit's changes one by one and stops at the first failure, so a failed
 * edit puts back the candidate as it was; the one exception is a candidate that already lacks a mandatory leaf,
 * which cannot be read to be remembered. continue-on-error is refused.
 * Parsing is OpenDaylight's, with its type errors turned into RFC 6241 rpc-errors. Its parser throws a
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
    private final EditSupport running;

    /**
     * What an edit needs beyond OpenDaylight's parser: for running, a private transaction and the commit path;
     * for any target, the checks of its data against the YANG models.
     */
    interface EditSupport {
        /** A fresh provider whose candidate transaction will hold one edit of running. */
        TransactionProvider newTransaction();

        /** OpenDaylight's edit-config over {@code transactions}. */
        NetconfOperation editOver(TransactionProvider transactions);

        ConfigCommitter committer();

        /** The check of the edit's data against the YANG models. */
        UnknownNodes unknownNodes();

        ValuelessLeaves valuelessLeaves();
    }

    EditConfig(NetconfOperation delegate, SharedDatastores datastores, long session, EditSupport running) {
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
        if (SharedDatastores.STARTUP.equals(target)) {
            return RpcReplies.failure(request, "protocol", "operation-not-supported", "edit-config edits candidate "
                    + "or running; startup changes only by copy-config from running or candidate");
        }
        Element config = configElement(request);
        UnknownNodes.Unknown unknown = config == null ? null : running.unknownNodes().find(WithDefaults.children(config));
        if (unknown != null) {
            return RpcReplies.unknown(request, unknown);
        }
        if ("continue-on-error".equals(errorOption(request))) {
            return RpcReplies.failure(request, "protocol", "operation-not-supported", "error-option "
                    + "continue-on-error is not supported: algd applies an edit-config all or nothing "
                    + "(rollback-on-error, also the default)");
        }
        Document edit = (Document) request.cloneNode(true);
        Element editConfig = configElement(edit);
        if (editConfig != null) {
            ValuelessLeaves.Missing missing;
            try {
                missing = resolveValuelessLeaves(editConfig, target);
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                return Commit.unreadableCandidate(request, e);
            }
            if (missing != null) {
                return RpcReplies.withPath(request, "application", "data-missing", missing.path()
                        + " is not set, so it cannot be deleted (remove would be no error)", missing.path(),
                        missing.prefixes());
            }
        }
        try {
            if (SharedDatastores.RUNNING.equals(target)) {
                return editRunning(edit, next);
            }
            return editCandidate(edit, next);
        } catch (IllegalArgumentException e) {
            return invalidValue(request, String.valueOf(e.getMessage()));
        }
    }

    private Document editCandidate(Document request, NetconfOperationChainedExecution next)
            throws DocumentedException {
        TransactionProvider candidate = datastores.candidate();
        var existing = candidate.getCandidateTransaction();
        ContainerNode before = null;
        boolean restorable = true;
        if (existing.isPresent()) {
            try {
                before = Commit.candidateRoot(existing.get());
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                // Reading the candidate checks mandatory leaves, and a list entry built up over several edits
                // (algd-cli's set lines) lacks some until the last one: no snapshot, so this edit cannot be
                // rolled back if OpenDaylight fails half-way.
                restorable = false;
            }
        }
        Document reply;
        try {
            reply = delegate.handle(request, next);
        } catch (DocumentedException | RuntimeException e) {
            if (before != null) {
                candidate.getCandidateTransaction().orElseThrow()
                        .put(LogicalDatastoreType.CONFIGURATION, YangInstanceIdentifier.of(), before);
            } else if (restorable) {
                candidate.abortTransaction();
            }
            throw e;
        }
        datastores.candidateModified(session);
        return reply;
    }

    /** Fills in value-less leaf deletes from the datastore the edit applies to (as it is now). */
    private ValuelessLeaves.Missing resolveValuelessLeaves(Element editConfig, String target)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        var candidate = datastores.candidate().getCandidateTransaction();
        if (SharedDatastores.CANDIDATE.equals(target) && candidate.isPresent()) {
            return running.valuelessLeaves().resolve(editConfig, candidate.get());
        }
        try (var reads = datastores.broker().newReadOnlyTransaction()) {
            return running.valuelessLeaves().resolve(editConfig, reads);
        }
    }

    /** The text of {@code <error-option>}, or null. */
    private static String errorOption(Document request) {
        var options = request.getElementsByTagNameNS("*", "error-option");
        return options.getLength() == 0 ? null : options.item(0).getTextContent().strip();
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
