package dev.algd.server.config;

import dev.algd.server.model.AlgdModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;

/** Configuration trees for tests, read the way algd reads its files; the model is loaded once per test JVM. */
public final class ConfigTrees {
    private static AlgdModel model;

    private ConfigTrees() {
    }

    public static synchronized AlgdModel model() {
        if (model == null) {
            model = AlgdModel.load();
        }
        return model;
    }

    /** The tree of a {@code <config>} element with {@code body} as its children. */
    public static ContainerNode parse(String body) throws IOException {
        Path file = Files.createTempFile("algd-config", ".xml");
        try {
            Files.writeString(file, "<config xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">" + body + "</config>");
            return new ConfigFile(file, model().modelContext()).load();
        } finally {
            Files.delete(file);
        }
    }

    /** {@code system alg ftp} with {@code body} inside, nothing else. */
    public static ContainerNode ftp(String body) throws IOException {
        return parse("<system xmlns=\"urn:algd:yang:algd-system\"><alg><ftp>" + body + "</ftp></alg></system>");
    }

    /** The demo router's startup configuration (examples/demo). */
    public static ContainerNode demo() throws IOException {
        return new ConfigFile(Path.of("../examples/demo/startup.xml"), model().modelContext()).load();
    }
}
