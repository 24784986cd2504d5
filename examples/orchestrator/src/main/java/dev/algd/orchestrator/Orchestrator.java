package dev.algd.orchestrator;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.opendaylight.mdsal.dom.api.DOMMountPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts one or more algd devices in a lighty.io controller, reads each one's session table and alg-state through
 * its mount point, and optionally changes an ALG's control ports through the mount, then reads alg-state again.
 * The result, per device and in RFC 7951 JSON as read through the mount, is printed on stdout; logs go to stderr.
 * Exits 0 if every device was mounted and every step succeeded, 1 if a device failed, 2 on bad arguments.
 */
public final class Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
    private static final String USAGE = """
        usage: orchestrator --device NAME=HOST[:PORT] [--device ...] --user USER --password-file FILE
                            [--set-ports ALG=PORT[,PORT...]] [--mount-timeout-seconds N]
          --device            an algd to mount (NETCONF over SSH, port 830 unless given); repeat for several
          --user              NETCONF user on every device
          --password-file     file whose first line is that user's password (or set ALGD_PASSWORD)
          --set-ports         replace the ALG's control ports on every device, e.g. ftp=2121
          --mount-timeout-seconds  how long a device may take to connect and be mounted (default 60)
        """;

    private Orchestrator() {
    }

    record Options(List<Device> devices, String user, String password, PortChange portChange, Duration mountTimeout) {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("orchestrator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        int status;
        try {
            status = run(options);
        } catch (Exception e) {
            LOG.error("orchestrator failed", e);
            status = 1;
        }
        // Akka and the southbound leave non-daemon threads behind after shutdown.
        System.exit(status);
    }

    static int run(Options options) throws Exception {
        long started = System.nanoTime();
        JsonArray results = new JsonArray();
        boolean allOk = true;
        try (Controller controller = Controller.start()) {
            LOG.info("lighty.io controller and NETCONF southbound started in {} ms", millisSince(started));
            controller.mount(options.devices(), options.user(), options.password());
            for (Device device : options.devices()) {
                JsonObject result = new JsonObject();
                result.addProperty("name", device.name());
                result.addProperty("host", device.host());
                result.addProperty("port", device.port());
                try {
                    manage(controller, device, options, result);
                } catch (Exception e) {
                    allOk = false;
                    String reason = describe(e);
                    result.addProperty("error", reason);
                    LOG.error("{}: {}", device.name(), reason);
                }
                results.add(result);
            }
            controller.unmount(options.devices());
        }
        JsonObject output = new JsonObject();
        output.add("devices", results);
        System.out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(output));
        return allOk ? 0 : 1;
    }

    private static void manage(Controller controller, Device device, Options options, JsonObject result)
            throws Exception {
        long mountStarted = System.nanoTime();
        DOMMountPoint mountPoint = controller.awaitMount(device, options.mountTimeout());
        result.addProperty("mounted-ms", millisSince(mountStarted));
        AlgdMount algd = new AlgdMount(device, mountPoint);
        LOG.info("{}: mounted {}:{} after {} ms", device.name(), device.host(), device.port(),
            millisSince(mountStarted));

        JsonElement sessions = YangJson.of(algd.schema(), algd.readSessionTable());
        result.add("session-table", sessions);
        JsonElement algState = YangJson.of(algd.schema(), algd.readAlgState());
        result.add("alg-state", algState);
        LOG.info("{}: {} sessions", device.name(), sessionCount(sessions));

        PortChange change = options.portChange();
        if (change != null) {
            algd.setPorts(change);
            JsonObject set = new JsonObject();
            set.addProperty("alg", change.alg());
            JsonArray ports = new JsonArray();
            change.ports().forEach(ports::add);
            set.add("ports", ports);
            result.add("set-ports", set);
            result.add("alg-state-after", YangJson.of(algd.schema(), algd.readAlgState()));
            LOG.info("{}: {} control ports set to {} and committed", device.name(), change.alg(), change.ports());
        }
    }

    private static int sessionCount(JsonElement sessionTable) {
        JsonElement table = sessionTable.getAsJsonObject().get("algd-session-table:session-table");
        if (table == null || !table.getAsJsonObject().has("session")) {
            return 0;
        }
        return table.getAsJsonObject().getAsJsonArray("session").size();
    }

    /** The causes' messages, outermost first: a failed commit's reason (the device's rpc-error) is deepest. */
    private static String describe(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ExecutionException) {
                continue;
            }
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!messages.contains(message)) {
                messages.add(message);
            }
        }
        return String.join(": ", messages);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static Options parse(String[] args) {
        List<Device> devices = new ArrayList<>();
        String user = null;
        String password = System.getenv("ALGD_PASSWORD");
        PortChange change = null;
        Duration timeout = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--device" -> devices.add(Device.parse(value));
                case "--user" -> user = value;
                case "--password-file" -> password = firstLine(Path.of(value));
                case "--set-ports" -> change = PortChange.parse(value);
                case "--mount-timeout-seconds" -> timeout = Duration.ofSeconds(positive(name, value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("give at least one --device");
        }
        if (devices.stream().map(Device::name).distinct().count() != devices.size()) {
            throw new IllegalArgumentException("two --device options have the same name");
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException("give --user and --password-file (or ALGD_PASSWORD)");
        }
        return new Options(List.copyOf(devices), user, password, change, timeout);
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.getFirst().isEmpty()) {
                throw new IllegalArgumentException("--password-file " + file + " is empty");
            }
            return lines.getFirst();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--password-file " + file + ": " + e.getMessage(), e);
        }
    }

    private static long positive(String option, String value) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": expected a positive number of seconds");
    }
}
