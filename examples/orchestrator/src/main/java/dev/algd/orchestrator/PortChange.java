package dev.algd.orchestrator;

import java.util.ArrayList;
import java.util.List;

/**
 * "Set these control ports for this ALG" (the guide's {@code set system alg ftp port 2121}), from
 * {@code --set-ports ftp=2121}.
 */
record PortChange(String alg, List<Integer> ports) {

    static PortChange parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--set-ports " + spec + ": expected alg=port[,port...], e.g. ftp=2121");
        }
        List<Integer> ports = new ArrayList<>();
        for (String text : spec.substring(eq + 1).split(",")) {
            int port;
            try {
                port = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--set-ports " + spec + ": '" + text + "' is not a port number", e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--set-ports " + spec + ": port " + port + " is not in 1..65535");
            }
            ports.add(port);
        }
        return new PortChange(spec.substring(0, eq), List.copyOf(ports));
    }
}
