package dev.algd.server;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.ftp.FtpAlg;
import dev.algd.engine.alg.rpc.RpcAlg;
import dev.algd.engine.alg.rsh.RshAlg;
import dev.algd.engine.alg.tftp.TftpAlg;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.Violation;
import dev.algd.io.DataPlane;
import dev.algd.io.PortOpener;
import dev.algd.io.RingGeometry;
import dev.algd.server.config.ConfigFile;
import dev.algd.server.model.AlgdModel;
import dev.algd.server.netconf.NetconfServer;
import dev.algd.server.netconf.PasswordFile;
import dev.algd.server.netconf.SshAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code algd run --config FILE [--netconf-address A] [--netconf-port P] [--users FILE] [--host-key FILE]}:
 * boots the data path from the configuration file, then serves NETCONF over SSH. Runs in whatever network
 * namespace it is started in and binds the devices the configuration names.
 */
public final class Main {
    static final String USAGE = """
            usage: algd run --config FILE [--netconf-address ADDR] [--netconf-port PORT]
                            [--users FILE] [--authorized-keys DIR] [--host-key FILE]
                            [--idle-timeout SECONDS] [--max-sessions N] [--tun DEVICE[,DEVICE...]]
                            [--session-table-size N] [--sessions-per-source N]
              --config FILE        NETCONF <config> XML to boot from; every commit rewrites it
              --netconf-address    address to listen on (default 0.0.0.0)
              --netconf-port       port to listen on (default 830)
              --users FILE         NETCONF users, one name:password per line (default: nobody can log in)
              --authorized-keys DIR  public keys: DIR/NAME holds NAME's keys (OpenSSH authorized_keys format)
              --host-key FILE      SSH host key, created on first start (default: ssh_host_key beside --config)
              --idle-timeout S     close NETCONF sessions idle for S seconds (default 3600)
              --max-sessions N     at most N SSH sessions at once (default 32)
              --tun DEVICES        these devices are TUN devices (attached, or created when missing): algd is
                                   a routed hop of this host on them; every other device is AF_PACKET (Ethernet)
              --session-table-size N  data-path sessions (IPv4; IPv6 gets a quarter) (default 1048576); when
                                   full, a session that never saw a reply is given up for a new flow
              --sessions-per-source N  at most N sessions per source address (IPv6: per /64) (default: no limit)
            """;

    record Options(Path config, String address, int port, Path users, Path authorizedKeys, Path hostKey,
            int idleTimeoutSeconds, int maxSessions, Set<String> tunDevices, EngineLimits limits) {
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("algd: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static Options parse(String[] args) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        if (rest.isEmpty() || !"run".equals(rest.peekFirst())) {
            throw new IllegalArgumentException("the only command is 'run'");
        }
        rest.removeFirst();
        Path config = null;
        String address = "0.0.0.0";
        int port = 830;
        Path users = null;
        Path hostKey = null;
        Path authorizedKeys = null;
        int idleTimeout = 3600;
        int maxSessions = 32;
        Set<String> tunDevices = new LinkedHashSet<>();
        int sessionTableSize = EngineLimits.DEFAULT_MAX_SESSIONS;
        int sessionsPerSource = 0;
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = rest.removeFirst();
            switch (option) {
                case "--config" -> config = Path.of(value);
                case "--netconf-address" -> address = value;
                case "--netconf-port" -> port = number(option, value, 1, 65535, "a port");
                case "--idle-timeout" -> idleTimeout = number(option, value, 1, 86_400 * 7, "a number of seconds");
                case "--max-sessions" -> maxSessions = number(option, value, 1, 10_000, "a session count");
                case "--session-table-size" -> sessionTableSize = number(option, value, 64, 1 << 24, "a table size");
                case "--sessions-per-source" -> sessionsPerSource = number(option, value, 1, 1 << 24,
                        "a session count");
                case "--authorized-keys" -> authorizedKeys = Path.of(value);
                case "--users" -> users = Path.of(value);
                case "--host-key" -> hostKey = Path.of(value);
                case "--tun" -> {
                    for (String device : value.split(",", -1)) {
                        if (device.isBlank()) {
                            throw new IllegalArgumentException("--tun " + value + " names an empty device");
                        }
                        tunDevices.add(device.strip());
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config is required");
        }
        if (hostKey == null) {
            hostKey = config.toAbsolutePath().resolveSibling("ssh_host_key");
        }
        return new Options(config, address, port, users, authorizedKeys, hostKey, idleTimeout, maxSessions,
                Set.copyOf(tunDevices), new EngineLimits(sessionTableSize, sessionsPerSource));
    }

    private static int number(String option, String value, int min, int max, String what) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            parsed = min - 1;
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(option + " " + value + " is not " + what + " (" + min + ".." + max + ")");
        }
        return parsed;
    }

    static int run(Options options) throws Exception {
        long started = System.nanoTime();
        if (!Files.isRegularFile(options.config())) {
            System.err.println("algd: configuration file " + options.config() + " does not exist");
            return 2;
        }
        AlgdModel model = AlgdModel.load();
        ConfigFile configFile = new ConfigFile(options.config(), model.modelContext());
        var root = configFile.load();
        PasswordFile users = options.users() == null ? PasswordFile.none() : PasswordFile.load(options.users());
        if (users.size() == 0 && options.authorizedKeys() == null) {
            System.err.println("algd: warning: no NETCONF users (--users) or keys (--authorized-keys): nobody can log in");
        }
        if (options.authorizedKeys() != null && !Files.isDirectory(options.authorizedKeys())) {
            System.err.println("algd: --authorized-keys " + options.authorizedKeys() + " is not a directory");
            return 2;
        }

        // Every ALG algd implements; which flows each sees is decided by the configuration (system alg).
        List<Alg> algs = List.of(new FtpAlg(), new TftpAlg(), new RshAlg(), new RpcAlg());
        Engine engine = new Engine(EngineConfig.empty(), options.limits(), Timeouts.defaults(), algs);
        DataPlane dataPlane = new DataPlane(engine,
                PortOpener.afPacket(RingGeometry.DEFAULT).withTunDevices(options.tunDevices()));
        ConfigCommitter committer = new ConfigCommitter(dataPlane, configFile, EngineConfig.empty());
        NetconfServer netconf = new NetconfServer(model, dataPlane, committer);
        try {
            committer.boot(root, () -> netconf.loadRunning(root));
        } catch (ConfigCommitter.CommitRefused refused) {
            System.err.println("algd: refusing to start with " + options.config() + ":");
            if (refused.violations().isEmpty()) {
                System.err.println("  " + refused.getMessage());
            }
            for (Violation violation : refused.violations()) {
                System.err.println("  " + violation.message());
            }
            dataPlane.close();
            netconf.close();
            return 2;
        }
        dataPlane.start();
        var bound = netconf.listen(options.address(), options.port(), new SshAccess(users, options.authorizedKeys(),
                options.hostKey(), java.time.Duration.ofSeconds(options.idleTimeoutSeconds()), options.maxSessions()));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                netconf.close();
            } catch (Exception e) {
                System.err.println("algd: closing NETCONF: " + e.getMessage());
            }
            dataPlane.close();
            stopped.countDown();
        }, "algd-shutdown"));
        System.out.printf("algd: NETCONF over SSH listening on %s:%d (ready %d ms after start)%n",
                bound.getHostString(), bound.getPort(), (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
