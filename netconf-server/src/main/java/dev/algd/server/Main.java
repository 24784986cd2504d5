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
import dev.algd.io.DataPlaneGroup;
import dev.algd.engine.session.SessionTable;
import dev.algd.io.PortOpener;
import dev.algd.server.config.ConfigFile;
import dev.algd.server.model.AlgdModel;
import dev.algd.server.netconf.NetconfServer;
import dev.algd.server.netconf.PasswordFile;
import dev.algd.server.netconf.SshAccess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code algd run --config FILE [--running-state FILE] [--netconf-address A] ...}: boots the data path, then
 * serves NETCONF over SSH. Runs in whatever network namespace it is started in and binds the devices the
 * configuration names.
 *
 * <p>Two files, as on a router (Vyatta's config.boot and its running config): {@code --config} is the startup
 * datastore, changed only by copy-config / delete-config ({@code algd-cli save}); every commit persists running
 * to {@code --running-state}, by default under /run, which the host clears at boot. So a restart of the daemon,
 * even after kill -9, comes back with the last committed running, and a reboot of the host starts from startup.
 */
public final class Main {
    static final String USAGE = """
            usage: algd run --config FILE [--running-state FILE] [--netconf-address ADDR] [--netconf-port PORT]
                            [--users FILE] [--authorized-keys DIR] [--host-key FILE]
                            [--idle-timeout SECONDS] [--max-sessions N] [--tun DEVICE[,DEVICE...]]
                            [--session-table-size N] [--sessions-per-source N] [--workers N|auto]
              --config FILE        the startup configuration (NETCONF <config> XML): booted from when there is
                                   no running state; rewritten only by copy-config to startup (algd-cli save)
                                   and delete-config
              --running-state FILE where every commit saves running, and what a restart boots from when it
                                   exists (default /run/algd/running.xml, cleared when the host boots;
                                   one daemon per file)
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
              --workers N|auto     data-path threads, each with its own engine and a share of the session
                                   table; the kernel steers each flow to one (PACKET_FANOUT_CBPF) (default 1;
                                   auto: min(cores, 2), or 1 with --tun; N > 1 needs every device AF_PACKET)
            """;

    /** Under /run: a daemon restart keeps running, a host reboot (tmpfs cleared) falls back to startup. */
    static final Path DEFAULT_RUNNING_STATE = Path.of("/run/algd/running.xml");

    record Options(Path config, Path runningState, String address, int port, Path users, Path authorizedKeys,
            Path hostKey, int idleTimeoutSeconds, int maxSessions, Set<String> tunDevices, EngineLimits limits,
            int workers) {
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
        Path runningState = DEFAULT_RUNNING_STATE;
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
        int workers = 1;
        boolean autoWorkers = false;
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = rest.removeFirst();
            switch (option) {
                case "--config" -> config = Path.of(value);
                case "--running-state" -> runningState = Path.of(value);
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
                case "--workers" -> {
                    autoWorkers = "auto".equals(value);
                    workers = autoWorkers ? 1 : number(option, value, 1, SessionTable.MAX_WORKERS, "a worker count");
                }
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
        if (autoWorkers) {
            // A TUN device has one queue; two cores are what this product is measured on (issue 6).
            workers = tunDevices.isEmpty() ? Math.min(Runtime.getRuntime().availableProcessors(), 2) : 1;
        }
        if (workers > 1 && !tunDevices.isEmpty()) {
            throw new IllegalArgumentException("--workers " + workers + " with --tun: a TUN device has one queue,"
                    + " so it works with one worker only (for now)");
        }
        return new Options(config, runningState, address, port, users, authorizedKeys, hostKey, idleTimeout,
                maxSessions, Set.copyOf(tunDevices), new EngineLimits(sessionTableSize, sessionsPerSource), workers);
    }

    /**
     * One engine per worker, each with its share of the session table (so --session-table-size stays the total)
     * and its own ALG instances: an ALG keeps per-engine state.
     */
    private static List<Engine> engines(Options options, java.util.function.Supplier<List<Alg>> algs) {
        int workers = options.workers();
        EngineLimits limits = options.limits();
        EngineLimits share = workers == 1 ? limits : new EngineLimits(Math.max(64, limits.maxSessions() / workers),
                limits.maxSessionsPerSource());
        List<Engine> engines = new java.util.ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            engines.add(new Engine(EngineConfig.empty(), share, Timeouts.defaults(), algs.get(), i, workers));
        }
        return engines;
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
        ConfigFile startupFile = new ConfigFile(options.config(), model.modelContext());
        ConfigFile runningFile = new ConfigFile(options.runningState(), model.modelContext());
        FileChannel runningLock = lockRunningState(options.runningState());
        if (runningLock == null) {
            System.err.println("algd: another algd keeps its running state in " + options.runningState()
                    + "; give this one its own --running-state");
            return 2;
        }
        // A running state left by an earlier run of this daemon wins: only a clean boot starts from startup.
        ConfigFile bootFile = Files.isRegularFile(options.runningState()) ? runningFile : startupFile;
        var root = bootFile.load();
        PasswordFile users = options.users() == null ? PasswordFile.none() : PasswordFile.load(options.users());
        if (users.size() == 0 && options.authorizedKeys() == null) {
            System.err.println("algd: warning: no NETCONF users (--users) or keys (--authorized-keys): nobody can log in");
        }
        if (options.authorizedKeys() != null && !Files.isDirectory(options.authorizedKeys())) {
            System.err.println("algd: --authorized-keys " + options.authorizedKeys() + " is not a directory");
            return 2;
        }

        // Every ALG algd implements; which flows each sees is decided by the configuration (system alg).
        java.util.function.Supplier<List<Alg>> algs = () -> List.of(new FtpAlg(), new TftpAlg(), new RshAlg(),
                new RpcAlg());
        DataPlaneGroup dataPlane = new DataPlaneGroup(engines(options, algs),
                PortOpener.afPacketWithVnetHeaders().withTunDevices(options.tunDevices()));
        ConfigCommitter committer = new ConfigCommitter(dataPlane, runningFile, EngineConfig.empty());
        NetconfServer netconf = new NetconfServer(model, dataPlane, committer, startupFile);
        try {
            committer.boot(root, () -> netconf.loadRunning(root));
        } catch (ConfigCommitter.CommitRefused refused) {
            System.err.println("algd: refusing to start with " + bootFile.path() + ":");
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
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "algd-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        AlgErrorLog algErrors = new AlgErrorLog(() -> dataPlane.query(
                running -> new AlgErrorLog.Snapshot(running.algCounters(), running.algDiagnostics()),
                AlgErrorLog.Snapshot::plus));
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                algErrors.check();
            } catch (RuntimeException e) {
                // The worker stopping (shutdown) or stuck: the next round tries again.
                System.err.println("algd: ALG error log: " + e.getMessage());
            }
        }, 0, AlgErrorLog.INTERVAL_SECONDS, TimeUnit.SECONDS);
        var bound = netconf.listen(options.address(), options.port(), new SshAccess(users, options.authorizedKeys(),
                options.hostKey(), java.time.Duration.ofSeconds(options.idleTimeoutSeconds()), options.maxSessions()));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            housekeeping.shutdownNow();
            try {
                netconf.close();
            } catch (Exception e) {
                System.err.println("algd: closing NETCONF: " + e.getMessage());
            }
            dataPlane.close();
            stopped.countDown();
        }, "algd-shutdown"));
        System.out.printf("algd: booted from %s %s%n", bootFile == runningFile ? "the running state" : "startup",
                bootFile.path());
        System.out.printf("algd: NETCONF over SSH listening on %s:%d (ready %d ms after start)%n",
                bound.getHostString(), bound.getPort(), (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        stopped.await();
        runningLock.close();
        return 0;
    }

    /** An exclusive lock beside the running state, held for the daemon's life; null when another daemon has it. */
    private static FileChannel lockRunningState(Path runningState) throws IOException {
        Path dir = runningState.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(runningState.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
            channel.close();
            return null;
        }
        return channel;
    }
}
