package dev.algd.server;

import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.EngineConfigValidator;
import dev.algd.engine.config.Violation;
import dev.algd.io.DataPlaneGroup;
import dev.algd.server.config.ConfigFile;
import dev.algd.server.config.ConfigTranslator;
import java.io.IOException;
import java.util.List;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every configuration takes into the engine, at boot and on each commit: translate the whole
 * tree, validate it, let the data plane open what the new config needs, commit the datastore, swap the
 * engine's snapshot, persist running (the running-state file, not startup; written alongside, renamed into place
 * before the commit returns). Nothing reaches the data path or the file unless all of it was accepted.
 */
public final class ConfigCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigCommitter.class);

    /** Makes the datastore side of a commit durable; throws when the datastore refuses. */
    @FunctionalInterface
    public interface DatastoreCommit {
        void commit() throws Exception;
    }

    /** Session id of the changes algd makes by itself, such as a confirmed commit rolled back at its timeout. */
    public static final long SERVER = 0;

    /**
     * Told after every commit that changed running (not at boot), inside the commit's lock so that listeners see
     * the changes in the order they were made, with the NETCONF session that made it or {@link #SERVER}.
     */
    @FunctionalInterface
    public interface ChangeListener {
        void committed(ContainerNode before, ContainerNode after, long sessionId);
    }

    /** Why a commit was refused: rule violations, or a failure of the data plane or the datastore. */
    public static final class CommitRefused extends Exception {
        private final List<Violation> violations;

        CommitRefused(List<Violation> violations) {
            super(violations.isEmpty() ? "commit refused" : violations.getFirst().message());
            this.violations = List.copyOf(violations);
        }

        CommitRefused(String message, Throwable cause) {
            super(message, cause);
            this.violations = List.of();
        }

        /** Empty when the refusal is not a rule violation but an operational failure ({@link #getMessage()}). */
        public List<Violation> violations() {
            return violations;
        }
    }

    private final ConfigTranslator translator = new ConfigTranslator();
    private final EngineConfigValidator validator = new EngineConfigValidator();
    private final DataPlaneGroup dataPlane;
    private final ConfigFile configFile;
    private final Object commitLock = new Object();
    private volatile EngineConfig running;
    /** The tree {@link #running} was translated from; null before boot. */
    private ContainerNode runningRoot;
    private volatile ChangeListener changeListener = (before, after, sessionId) -> { };

    public ConfigCommitter(DataPlaneGroup dataPlane, ConfigFile configFile, EngineConfig running) {
        this.dataPlane = dataPlane;
        this.configFile = configFile;
        this.running = running;
    }

    public EngineConfig running() {
        return running;
    }

    /** Every reason {@code root} cannot be committed; empty when it can. */
    public List<Violation> check(ContainerNode root) {
        return translateAndValidate(root).violations();
    }

    private ConfigTranslator.Result translateAndValidate(ContainerNode root) {
        ConfigTranslator.Result translated = translator.translate(root);
        if (translated.config() == null) {
            return translated;
        }
        List<Violation> violations = validator.validate(translated.config());
        return violations.isEmpty() ? translated : new ConfigTranslator.Result(null, violations);
    }

    public void changeListener(ChangeListener listener) {
        this.changeListener = listener;
    }

    /**
     * Commits {@code root} as the new running configuration, all of it or none of it, and persists it. {@code
     * sessionId} is the NETCONF session the change comes from, or {@link #SERVER}.
     */
    public void commit(ContainerNode root, DatastoreCommit datastore, long sessionId) throws CommitRefused {
        apply(root, datastore, true, sessionId);
    }

    /** Applies the configuration algd boots from, and saves it as running (it may have come from startup). */
    public void boot(ContainerNode root, DatastoreCommit datastore) throws CommitRefused {
        apply(root, datastore, false, SERVER);
    }

    /**
     * {@code isCommit}: a change a session made (notified); else the boot configuration (not notified). The file is
     * written and synced on its writer thread while this one validates, commits the datastore and updates the data
     * plane; it is renamed into place only once the datastore took the commit, and this returns only after that.
     */
    private void apply(ContainerNode root, DatastoreCommit datastore, boolean isCommit, long sessionId)
            throws CommitRefused {
        synchronized (commitLock) {
            long started = System.nanoTime();
            ConfigFile.Save save = configFile.startSave(root);
            boolean isStored = false;
            EngineConfig next;
            long validated;
            long prepared;
            try {
                ConfigTranslator.Result result = translateAndValidate(root);
                if (result.config() == null) {
                    throw new CommitRefused(result.violations());
                }
                validated = System.nanoTime();
                next = result.config();
                try {
                    dataPlane.prepare(next);
                } catch (IOException e) {
                    dataPlane.apply(running);
                    throw new CommitRefused(e.getMessage(), e);
                }
                prepared = System.nanoTime();
                try {
                    datastore.commit();
                } catch (Exception e) {
                    dataPlane.apply(running);
                    throw new CommitRefused("the datastore refused the commit: " + e.getMessage(), e);
                }
                isStored = true;
            } finally {
                if (isStored) {
                    save.replace();
                } else {
                    save.abandon();
                }
            }
            long stored = System.nanoTime();
            dataPlane.apply(next);
            running = next;
            ContainerNode before = runningRoot;
            runningRoot = root;
            long applied = System.nanoTime();
            if (isCommit) {
                changeListener.committed(before, root, sessionId);
            }
            long notified = System.nanoTime();
            ConfigFile.Saved saved;
            try {
                saved = save.awaitReplaced();
            } catch (IOException e) {
                // The data path and the datastore already run the new config; losing persistence must be loud.
                LOG.error("commit applied but not persisted to {}: {}", configFile.path(), e.getMessage());
                throw new CommitRefused("the configuration is running but could not be saved to "
                        + configFile.path() + ": " + e.getMessage(), e);
            }
            long done = System.nanoTime();
            LOG.info("commit applied in {} µs (translate+validate {}, data plane {}+{}, datastore {}, notify {},"
                    + " persist {}; alongside: serialise {}, write+fsync {}, rename {})", (done - started) / 1000,
                    (validated - started) / 1000, (prepared - validated) / 1000, (applied - stored) / 1000,
                    (stored - prepared) / 1000, (notified - applied) / 1000, (done - notified) / 1000,
                    saved.serialiseNanos() / 1000, saved.writeNanos() / 1000, saved.renameNanos() / 1000);
        }
    }
}
