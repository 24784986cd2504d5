package dev.algd.engine.alg.tftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The captured requests of {@code alg/tftp/requests.txt}, by name. */
final class TftpFixtures {
    private TftpFixtures() {
    }

    static Map<String, byte[]> requests() {
        try (InputStream in = TftpFixtures.class.getResourceAsStream("/alg/tftp/requests.txt")) {
            Map<String, byte[]> requests = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                requests.put(fields[0], HexFormat.of().parseHex(fields[1]));
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] request(String name) {
        byte[] bytes = requests().get(name);
        if (bytes == null) {
            throw new IllegalArgumentException("no fixture " + name + " in alg/tftp/requests.txt");
        }
        return bytes;
    }
}
