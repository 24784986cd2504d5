package dev.algd.server;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.tftp.TftpAlg;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.Violation;
import dev.algd.io.DataPlane;
import dev.algd.server.config.ConfigFile;
import dev.algd.server.model.AlgdModel;
import dev.algd.server.netconf.NetconfServer;
import dev.algd.server.netconf.PasswordFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code algd run --config FILE [--netconf-address A] [--netconf-port P] [--users FILE] [--host-key FILE]}:
 * boots the data path from the configuration file, then serves NETCONF over SSH. Runs in whatever network
 * namespace it is started in and binds the devices the configuration names.
 */
public final class Main {
    static final String USAGE = """
            usage: algd run --config FILE [--netconf-address ADDR] [--netconf-port PORT]
                            [--users FILE] [--host-key FILE]
              --config FILE        NETCONF <config> XML to boot from; every commit rewrites it
              --netconf-address    address to listen on (default 0.0.0.0)
              --netconf-port       port to listen on (default 830)
              --users FILE         NETCONF users, one name:password per line (default: nobody can log in)
              --host-key FILE      SSH host key, created on first start (default: ssh_host_key beside --config)
            """;

    /** Every ALG algd implements; which flows each sees is decided by the configuration (system alg). */
    static final List<Alg> ALGS = List.of(new TftpAlg());

    record Options(Path config, String address, int port, Path users, Path hostKey) {
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
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = rest.removeFirst();
            switch (option) {
                case "--config" -> config = Path.of(value);
                case "--netconf-address" -> address = value;
                case "--netconf-port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException("--netconf-port " + value + " is not a port (1..65535)");
                    }
                }
                case "--users" -> users = Path.of(value);
                case "--host-key" -> hostKey = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config is required");
        }
        if (hostKey == null) {
            hostKey = config.toAbsolutePath().resolveSibling("ssh_host_key");
        }
        return new Options(config, address, port, users, hostKey);
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
        if (users.size() == 0) {
            System.err.println("algd: warning: no NETCONF users configured (--users), nobody can log in");
        }

        Engine engine = new Engine(EngineConfig.empty(), EngineLimits.defaults(), Timeouts.defaults(), ALGS);
        DataPlane dataPlane = new DataPlane(engine);
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
        var bound = netconf.listen(options.address(), options.port(), users, options.hostKey());

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
