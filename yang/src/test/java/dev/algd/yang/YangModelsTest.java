package dev.algd.yang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The models and the example configurations, checked by libyang's yanglint rather than by OpenDaylight alone. */
class YangModelsTest {
    private static final Path MODELS = Path.of("src/main/yang");
    private static final Path EXAMPLES = Path.of("../examples");

    @Test
    void everyModulePassesYanglint() throws Exception {
        List<String> command = new ArrayList<>(List.of(yanglint()));
        command.addAll(modules());
        Outcome outcome = run(command);
        assertEquals(0, outcome.exitCode(), "yanglint rejected the modules:\n" + outcome.output());
        assertFalse(outcome.output().contains("warn"), "yanglint warned:\n" + outcome.output());
    }

    @Test
    void everyExampleConfigurationValidatesAgainstTheModules(@TempDir Path temp) throws Exception {
        List<Path> configs;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            configs = files.filter(p -> p.toString().endsWith(".xml")).filter(YangModelsTest::isNetconfConfig).toList();
        }
        assertFalse(configs.isEmpty(), "no example configuration found under " + EXAMPLES.toAbsolutePath());
        for (Path config : configs) {
            Path data = temp.resolve(config.getFileName());
            Files.writeString(data, topLevelNodes(config));
            List<String> command = new ArrayList<>(List.of(yanglint(), "-t", "config"));
            command.addAll(modules());
            command.add(data.toString());
            Outcome outcome = run(command);
            assertEquals(0, outcome.exitCode(), config + " does not validate:\n" + outcome.output());
        }
    }

    @Test
    void yanglintRejectsAnAddressThatIsNotAPrefix(@TempDir Path temp) throws Exception {
        Path data = temp.resolve("bad.xml");
        Files.writeString(data, """
                <interfaces xmlns="urn:algd:yang:algd-interfaces">
                  <interface><name>outside</name><address>198.51.100.1</address></interface>
                </interfaces>
                """);
        List<String> command = new ArrayList<>(List.of(yanglint(), "-t", "config"));
        command.addAll(modules());
        command.add(data.toString());
        assertNotEquals(0, run(command).exitCode(), "an address without prefix length must not validate");
    }

    private static boolean isNetconfConfig(Path file) {
        try {
            return Files.readString(file).contains("urn:ietf:params:xml:ns:netconf:base:1.0");
        } catch (IOException e) {
            return false;
        }
    }

    /** yanglint reads data trees without the NETCONF {@code <config>} wrapper: hand it the children. */
    private static String topLevelNodes(Path config) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element root = factory.newDocumentBuilder().parse(config.toFile()).getDocumentElement();
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter out = new StringWriter();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element) {
                transformer.transform(new DOMSource(child), new StreamResult(out));
            }
        }
        return out.toString();
    }

    private static List<String> modules() throws IOException {
        try (Stream<Path> files = Files.list(MODELS)) {
            return files.filter(p -> p.toString().endsWith(".yang")).map(Path::toString).sorted().toList();
        }
    }

    private static String yanglint() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "yanglint"))) {
                return Path.of(dir, "yanglint").toString();
            }
        }
        throw new AssertionError("yanglint is not installed (Debian package libyang2-tools); "
                + "netconf-server/bin/install-deps installs it");
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("yanglint did not finish within 60 s: " + command);
        }
        return new Outcome(process.exitValue(), output);
    }
}
