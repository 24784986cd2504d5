package dev.algd.engine.alg.rsh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The first strings of {@code first-strings.txt}: captured from netkit rsh, and the hand-written rcmd case. */
final class RshFixtures {
    private RshFixtures() {
    }

    static Map<String, byte[]> firstStrings() {
        Map<String, byte[]> strings = new LinkedHashMap<>();
        try (InputStream in = RshFixtures.class.getResourceAsStream("first-strings.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(" ");
                strings.put(fields[0], HexFormat.of().parseHex(fields[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return strings;
    }

    static byte[] firstString(String name) {
        byte[] bytes = firstStrings().get(name);
        if (bytes == null) {
            throw new IllegalArgumentException("no first string " + name);
        }
        return bytes;
    }
}
