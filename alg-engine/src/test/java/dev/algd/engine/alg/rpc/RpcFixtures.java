package dev.algd.engine.alg.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The captured messages of {@code rpcinfo-rpcbind.txt} beside this class, by name. */
final class RpcFixtures {
    private RpcFixtures() {
    }

    static Map<String, byte[]> messages() {
        try (InputStream in = RpcFixtures.class.getResourceAsStream("rpcinfo-rpcbind.txt")) {
            Map<String, byte[]> messages = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                messages.put(fields[0], HexFormat.of().parseHex(fields[1]));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] message(String name) {
        byte[] bytes = messages().get(name);
        if (bytes == null) {
            throw new IllegalArgumentException("no fixture " + name + " in rpcinfo-rpcbind.txt");
        }
        return bytes;
    }
}
