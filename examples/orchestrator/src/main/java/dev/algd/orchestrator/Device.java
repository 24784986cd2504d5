package dev.algd.orchestrator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One algd instance to mount: its node name in the controller's topology-netconf and its NETCONF over SSH
 * address.
 */
record Device(String name, String host, int port) {

    static final int NETCONF_SSH_PORT = 830;

    // name=host[:port], the host an IPv4 address, a name, or a bracketed IPv6 address.
    private static final Pattern SPEC = Pattern.compile(
        "([A-Za-z0-9][A-Za-z0-9._-]*)=(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

    /** Parses {@code name=host[:port]}, e.g. {@code r1=203.0.113.2} or {@code r2=[2001:db8::2]:830}. */
    static Device parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                "--device " + spec + ": expected name=host[:port], e.g. r1=203.0.113.2:830");
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        int port = m.group(3) == null ? NETCONF_SSH_PORT : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--device " + spec + ": port " + port + " is not in 1..65535");
        }
        return new Device(m.group(1), host, port);
    }
}
