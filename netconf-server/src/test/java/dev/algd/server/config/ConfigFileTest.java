package dev.algd.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;

/** Issue 4: a commit's file is written alongside the commit and replaces the old one only when told to. */
class ConfigFileTest {
    @TempDir
    Path temp;

    private ConfigFile file(String name) {
        return new ConfigFile(temp.resolve(name), ConfigTrees.model().modelContext());
    }

    private static ContainerNode ftpPort(int port) throws IOException {
        return ConfigTrees.ftp("<port>" + port + "</port>");
    }

    private List<String> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".tmp")).toList();
        }
    }

    @Test
    void theFileChangesOnlyWhenTheSaveIsReplaced() throws Exception {
        ConfigFile file = file("running.xml");
        file.save(ftpPort(2121));
        ConfigFile.Save save = file.startSave(ftpPort(2122));
        assertEquals(ftpPort(2121), file.load(), "nothing renames before replace()");
        save.replace();
        save.awaitReplaced();
        assertEquals(ftpPort(2122), file.load());
        assertEquals(List.of(), temporaryFiles());
    }

    @Test
    void anAbandonedSaveLeavesTheFileAndNoTemporaryFile() throws Exception {
        ConfigFile file = file("running.xml");
        file.save(ftpPort(2121));
        file.startSave(ftpPort(2122)).abandon();
        ConfigFile other = file("other.xml");
        other.save(ftpPort(2123));
        // The next save of the same file runs after the abandoned one's clean-up, on the same thread.
        ConfigFile.Save next = file.startSave(ftpPort(2121));
        next.replace();
        next.awaitReplaced();
        assertEquals(ftpPort(2121), file.load());
        assertEquals(List.of(), temporaryFiles());
    }

    @Test
    void savesStartedOneAfterAnotherEndWithTheLast() throws Exception {
        ConfigFile file = file("running.xml");
        ConfigFile.Save last = null;
        for (int port = 3000; port < 3010; port++) {
            last = file.startSave(ftpPort(port));
            last.replace();
        }
        last.awaitReplaced();
        assertEquals(ftpPort(3009), file.load());
    }

    @Test
    void aChangedTopLevelNodeIsWrittenAnewBesideTheUnchangedOnes() throws Exception {
        ContainerNode demo = ConfigTrees.demo();
        ConfigFile file = file("running.xml");
        file.save(demo);
        // As the datastore builds the next tree: the untouched top-level nodes are the same objects.
        DataContainerChild system = ftpPort(2121).body().iterator().next();
        var builder = ImmutableNodes.newContainerBuilder().withNodeIdentifier(demo.name());
        demo.body().stream().filter(child -> !child.name().equals(system.name())).forEach(builder::withChild);
        ContainerNode changed = builder.withChild(system).build();
        file.save(changed);
        assertEquals(changed, file.load());

        ConfigFile fresh = file("fresh.xml");
        fresh.save(changed);
        assertEquals(Files.readString(fresh.path()), Files.readString(file.path()),
                "a node kept from the last save is written as a first save writes it");
    }

    @Test
    void aLinkLeftByACrashNeitherStopsTheReplaceNorStays() throws Exception {
        Path path = temp.resolve("running.xml");
        Path leftover = temp.resolve(".running.xml.previous");
        Files.writeString(leftover, "left by a daemon killed between link and removal");
        ConfigFile file = new ConfigFile(path, ConfigTrees.model().modelContext());
        file.save(ftpPort(2121));
        file.save(ftpPort(2122));
        assertEquals(ftpPort(2122), file.load());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Files.exists(leftover) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.notExists(leftover), "the directory sync after a save removes the second link");
    }

    @Test
    void aSaveThatCannotBeWrittenThrowsAndLeavesTheFile() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("gone"));
        ConfigFile file = new ConfigFile(dir.resolve("running.xml"), ConfigTrees.model().modelContext());
        file.save(ftpPort(2121));
        Files.delete(dir.resolve("running.xml"));
        try (Stream<Path> left = Files.list(dir)) {
            for (Path p : left.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        ConfigFile.Save save = file.startSave(ftpPort(2122));
        save.replace();
        assertThrows(IOException.class, save::awaitReplaced);
    }
}
