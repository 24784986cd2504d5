package dev.algd.engine.alg.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The captured lines of {@code alg/ftp/lines.txt}, by name. */
final class FtpFixtures {
    private FtpFixtures() {
    }

    static Map<String, String> lines() {
        try (InputStream in = FtpFixtures.class.getResourceAsStream("/alg/ftp/lines.txt")) {
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                lines.put(line.substring(0, space),
                        line.substring(space + 1).replace("\\r", "\r").replace("\\n", "\n"));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line(String name) {
        String line = lines().get(name);
        if (line == null) {
            throw new IllegalArgumentException("no fixture " + name + " in alg/ftp/lines.txt");
        }
        return line;
    }
}
