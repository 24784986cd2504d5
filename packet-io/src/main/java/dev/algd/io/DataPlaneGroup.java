package dev.algd.io;

import dev.algd.engine.Engine;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.session.SessionTable;
import dev.algd.io.linux.LinuxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * The data plane with one worker per core (MULTICORE.md): worker {@code i} is a {@link DataPlane} with its own
 * {@link Engine} and its own AF_PACKET socket per device, and the sockets of one device form a PACKET_FANOUT_CBPF
 * group whose classic BPF program ({@link Steering#program}) sends both directions of every flow to the worker that
 * owns it. With one worker this is exactly the single {@link DataPlane} of before: no fanout, no rings.
 * <p>
 * Management reaches every worker: {@link #apply} gives each the new config at its next batch boundary (in worker
 * order; a flow is owned by one worker, so no flow sees two configs at once), {@link #query} runs on each worker and
 * merges the answers, {@link #queryWorker} asks the worker a session id names ({@link SessionTable#workerOf}),
 * {@link #sessionPages} walks the session tables of all a page at a time.
 */
public final class DataPlaneGroup implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataPlaneGroup.class.getName());

    private final List<DataPlane> workers;
    private final WorkerLink[] links;
    /** Worker 0's port of each device: the member that sets the group's program. */
    private final Map<String, AfPacketPort> firstMembers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> programRoles = new ConcurrentHashMap<>();

    /**
     * A data plane of {@code engines.size()} workers. {@code engines.get(i)} must have been built as worker
     * {@code i} of that many ({@code new Engine(..., i, n)}). With more than one, {@code opener} must give
     * {@link AfPacketPort}s: a TUN device has one queue, which only one worker could read.
     */
    public DataPlaneGroup(List<Engine> engines, PortOpener opener) {
        Objects.requireNonNull(opener, "opener");
        int count = engines.size();
        if (count < 1 || count > SessionTable.MAX_WORKERS) {
            throw new IllegalArgumentException(count + " workers is outside 1.." + SessionTable.MAX_WORKERS);
        }
        List<DataPlane> planes = new ArrayList<>(count);
        if (count == 1) {
            links = new WorkerLink[0];
            planes.add(new DataPlane(engines.getFirst(), opener));
        } else {
            links = WorkerLink.group(count);
            for (int i = 0; i < count; i++) {
                planes.add(new DataPlane(engines.get(i), fanoutMember(opener, i), links[i]));
            }
        }
        workers = List.copyOf(planes);
    }

    /** Opens the device's port for worker {@code index} and joins it to the device's group, in worker order. */
    private PortOpener fanoutMember(PortOpener opener, int index) {
        return device -> {
            PacketPort port = opener.open(device);
            if (!(port instanceof AfPacketPort member)) {
                port.close();
                throw new IOException("device '" + device + "' is not an AF_PACKET port; with more than one worker"
                        + " (--workers) every device must be (a TUN device has a single queue)");
            }
            try {
                member.joinFanout(fanoutGroup(member.interfaceIndex()));
            } catch (LinuxException e) {
                member.close();
                throw e;
            }
            if (index == 0) {
                firstMembers.put(device, member);
                programRoles.remove(device);
            }
            return member;
        };
    }

    /** A group id per device, per daemon: two algd processes in one namespace do not share groups. */
    static int fanoutGroup(int interfaceIndex) {
        return (int) ((ProcessHandle.current().pid() * 131 + interfaceIndex) & 0xffff);
    }

    public int workers() {
        return workers.size();
    }

    /** Opens (and joins) the ports of {@code next}'s new devices on every worker; nothing changes yet. */
    public void prepare(EngineConfig next) throws IOException {
        for (DataPlane worker : workers) {
            worker.prepare(next);
        }
    }

    /** Makes {@code next} the running config of every worker, after giving each device's group its program. */
    public void apply(EngineConfig next) {
        try {
            prepare(next);
            steer(next);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        for (DataPlane worker : workers) {
            worker.apply(next);
        }
    }

    /** Sets the BPF program of each device's group for the device's role in {@code next}, where it changed. */
    private void steer(EngineConfig next) throws LinuxException {
        if (workers.size() == 1) {
            return;
        }
        Set<String> outside = Steering.outsideInterfaces(next);
        for (InterfaceConfig ic : next.interfaces()) {
            boolean isOutside = outside.contains(ic.name());
            AfPacketPort member = firstMembers.get(ic.device());
            if (member == null || Boolean.valueOf(isOutside).equals(programRoles.get(ic.device()))) {
                continue;
            }
            try (Arena arena = Arena.ofConfined()) {
                member.fanoutProgram(Steering.fprog(Steering.program(isOutside), arena));
            }
            programRoles.put(ic.device(), isOutside);
            LOG.log(System.Logger.Level.INFO, "interface ''{0}'' ({1}): {2} workers steered by the {3} address",
                    ic.name(), ic.device(), Integer.toString(workers.size()), isOutside ? "source" : "destination");
        }
    }

    public void start() throws IOException {
        for (DataPlane worker : workers) {
            worker.start();
        }
    }

    /** Runs {@code function} on every worker (each between two of its batches) and merges the answers in order. */
    public <T> T query(Function<Engine, T> function, BinaryOperator<T> merge) {
        T result = workers.getFirst().query(function);
        for (int i = 1; i < workers.size(); i++) {
            result = merge.apply(result, workers.get(i).query(function));
        }
        return result;
    }

    /** Runs {@code function} on the worker whose engine made session {@code sessionId}; null if there is none. */
    public <T> T queryWorker(long sessionId, Function<Engine, T> function) {
        int index = SessionTable.workerOf(sessionId);
        return index < workers.size() ? workers.get(index).query(function) : null;
    }

    /** A walk over every worker's live sessions, {@code pageSize} sessions a page ({@link SessionPages}). */
    public SessionPages sessionPages(int pageSize) {
        return new SessionPages(workers, pageSize);
    }

    /** Every worker's packet I/O counters as one: per port and per drop reason, summed. */
    public DataPlaneCounters counters() {
        DataPlaneCounters total = workers.getFirst().counters();
        for (int i = 1; i < workers.size(); i++) {
            total = sum(total, workers.get(i).counters());
        }
        return total;
    }

    /**
     * The rings between workers, summed: expectations posted to and received from other workers, parent ends
     * posted, messages dropped on a full ring, ARP copies, frames handed off and received. Empty with one worker.
     */
    public Map<String, Long> workerCounters() {
        Map<String, Long> total = new LinkedHashMap<>();
        for (int i = 0; i < links.length; i++) {
            WorkerLink link = links[i];
            Map<String, Long> one = workers.get(i).query(engine -> Map.of(
                    "expectations-posted", link.expectationsPosted,
                    "expectations-received", link.expectationsReceived,
                    "parent-ends-posted", link.parentEndsPosted,
                    "control-ring-full", link.controlRingFull,
                    "arp-copies-posted", link.arpCopiesPosted,
                    "frames-handed-off", link.framesHandedOff,
                    "frames-received-from-peers", link.framesReceivedFromPeers,
                    "frame-ring-full", link.frameRingFull));
            for (String key : List.of("expectations-posted", "expectations-received", "parent-ends-posted",
                    "control-ring-full", "arp-copies-posted", "frames-handed-off", "frames-received-from-peers",
                    "frame-ring-full")) {
                total.merge(key, one.get(key), Long::sum);
            }
        }
        return total;
    }

    public boolean isRunning() {
        return workers.stream().allMatch(DataPlane::isRunning);
    }

    @Override
    public void close() {
        if (links.length > 0 && isRunning()) {
            try {
                LOG.log(System.Logger.Level.INFO, "workers: {0}", workerCounters());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "reading the worker counters at close: {0}", e.getMessage());
            }
        }
        for (DataPlane worker : workers) {
            worker.close();
        }
    }

    private static DataPlaneCounters sum(DataPlaneCounters a, DataPlaneCounters b) {
        List<PortCounters> ports = new ArrayList<>(a.ports().size());
        for (int i = 0; i < a.ports().size(); i++) {
            PortCounters x = a.ports().get(i);
            PortCounters y = i < b.ports().size() ? b.ports().get(i) : x;
            if (y == x) {
                ports.add(x);
                continue;
            }
            // The neighbour table is worker 0's (the others hold copies): its size is not summed.
            ports.add(new PortCounters(x.interfaceName(), x.device(), x.rxFrames() + y.rxFrames(),
                    x.rxBytes() + y.rxBytes(), x.txFrames() + y.txFrames(), x.txBytes() + y.txBytes(),
                    x.kernelDrops() + y.kernelDrops(), x.checksumsCompleted() + y.checksumsCompleted(),
                    x.arpRepliesSent() + y.arpRepliesSent(), x.arpRequestsSent() + y.arpRequestsSent(),
                    x.arpAnnouncementsSent() + y.arpAnnouncementsSent(), x.addressConflicts() + y.addressConflicts(),
                    Math.max(x.neighbours(), y.neighbours()), x.heldPackets() + y.heldPackets(),
                    x.txFlushFailures() + y.txFlushFailures(), x.socketErrors() + y.socketErrors()));
        }
        Map<FrameDropReason, Long> drops = new LinkedHashMap<>();
        for (FrameDropReason reason : FrameDropReason.values()) {
            drops.put(reason, a.drops(reason) + b.drops(reason));
        }
        return new DataPlaneCounters(ports, drops);
    }
}
