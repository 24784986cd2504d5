package dev.algd.server.netconf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendaylight.netconf.auth.AuthProvider;

/**
 * NETCONF users from a file of {@code name:password} lines ({@code #} starts a comment). There is no built-in
 * user: without a users file nobody can log in.
 */
public final class PasswordFile implements AuthProvider {
    private final Map<String, byte[]> passwords;

    private PasswordFile(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    public static PasswordFile load(Path path) throws IOException {
        Map<String, byte[]> passwords = new HashMap<>();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new IOException(path + ":" + (i + 1) + ": expected name:password");
            }
            passwords.put(line.substring(0, colon), line.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        return new PasswordFile(passwords);
    }

    public static PasswordFile none() {
        return new PasswordFile(Map.of());
    }

    public int size() {
        return passwords.size();
    }

    @Override
    public boolean authenticated(String username, String password) {
        byte[] expected = passwords.get(username);
        return expected != null && MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8));
    }
}
