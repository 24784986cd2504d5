package dev.algd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.EngineConfigValidator;
import dev.algd.io.DataPlaneGroup;
import dev.algd.server.config.ConfigFile;
import dev.algd.server.config.ConfigTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/**
 * Issue 4, commit semantics: all of a commit or none of it, in the engine, the datastore and the running-state file,
 * which holds the new configuration by the time the commit returns.
 */
class ConfigCommitterTest {
    @TempDir
    Path temp;

    private ConfigFile file;
    private ConfigCommitter committer;
    private final AtomicInteger datastoreCommits = new AtomicInteger();

    @BeforeEach
    void boot() throws Exception {
        // No interfaces in these configurations: the data plane opens no port and its worker is never started.
        DataPlaneGroup dataPlane = new DataPlaneGroup(List.of(new Engine(EngineConfig.empty(), new EngineLimits(16))),
                device -> {
                    throw new IOException("no device " + device + " in this test");
                });
        file = new ConfigFile(Files.createDirectory(temp.resolve("state")).resolve("running.xml"),
                ConfigTrees.model().modelContext());
        committer = new ConfigCommitter(dataPlane, file, EngineConfig.empty());
        committer.boot(ConfigTrees.ftp("<port>2121</port>"), datastoreCommits::incrementAndGet);
    }

    private static ContainerNode tftpOnPort21() throws IOException {
        return ConfigTrees.parse("<system xmlns=\"urn:algd:yang:algd-system\"><alg><tftp><port>21</port></tftp>"
                + "</alg></system>");
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(file.path().getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".tmp")).toList();
        }
    }

    @Test
    void anAcceptedCommitIsRunningAndInTheFileWhenCommitReturns() throws Exception {
        ContainerNode next = ConfigTrees.ftp("<port>2122</port>");
        committer.commit(next, datastoreCommits::incrementAndGet, 7);
        assertEquals(List.of(2122), committer.running().alg(AlgId.FTP).effectivePorts());
        assertEquals(next, file.load());
        assertEquals(2, datastoreCommits.get());
    }

    @Test
    void aCommitTheValidatorRefusesLeavesRunningTheDatastoreAndTheFileAsTheyWere() throws Exception {
        EngineConfig before = committer.running();
        ContainerNode saved = file.load();
        var refused = assertThrows(ConfigCommitter.CommitRefused.class,
                () -> committer.commit(tftpOnPort21(), datastoreCommits::incrementAndGet, 7));
        assertEquals(EngineConfigValidator.ALG_DEFAULT_PORT_IN_USE, refused.violations().getFirst().appTag());
        assertSame(before, committer.running());
        assertEquals(1, datastoreCommits.get(), "the datastore is not asked");
        assertEquals(saved, file.load());

        // The refused commit's temporary file is removed before the next commit writes its own.
        committer.commit(ConfigTrees.ftp("<port>2123</port>"), datastoreCommits::incrementAndGet, 7);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aCommitTheDatastoreRefusesLeavesRunningAndTheFileAsTheyWere() throws Exception {
        EngineConfig before = committer.running();
        ContainerNode saved = file.load();
        var refused = assertThrows(ConfigCommitter.CommitRefused.class, () -> committer.commit(
                ConfigTrees.ftp("<port>2122</port>"), () -> {
                    throw new IllegalStateException("optimistic lock failed");
                }, 7));
        assertTrue(refused.getMessage().contains("optimistic lock failed"), refused.getMessage());
        assertSame(before, committer.running());
        assertEquals(saved, file.load());
    }

    @Test
    void aCommitThatCannotBeSavedRunsButSaysItIsNotSaved() throws Exception {
        ContainerNode next = ConfigTrees.ftp("<port>2122</port>");
        Path state = file.path().getParent();
        try (Stream<Path> files = Files.list(state)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(state);
        var refused = assertThrows(ConfigCommitter.CommitRefused.class,
                () -> committer.commit(next, datastoreCommits::incrementAndGet, 7));
        assertTrue(refused.getMessage().contains("running but could not be saved to " + file.path()),
                refused.getMessage());
        assertEquals(List.of(2122), committer.running().alg(AlgId.FTP).effectivePorts());
        assertFalse(Files.exists(file.path()));
    }
}
