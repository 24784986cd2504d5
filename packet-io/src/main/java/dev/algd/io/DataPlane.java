package dev.algd.io;

import dev.algd.engine.DropReason;
import dev.algd.engine.Engine;
import dev.algd.engine.Packet;
import dev.algd.engine.Verdict;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.packet.Checksums;
import dev.algd.io.linux.EventFd;
import dev.algd.io.linux.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The data plane: the ports, the {@link Engine} and the one worker thread that moves frames between them. Both
 * directions of every flow are handled by that thread, so the engine needs no locks; management reaches the
 * engine only through {@link #query}, which runs on the worker between batches. With several workers
 * ({@link DataPlaneGroup}) each is one of these with its own engine and ports, and its {@link WorkerLink} to the
 * others: expectations and ARP copies arrive between frames, and a packet that found no session may be handed off.
 * <p>
 * Lifecycle, as the management layer uses it:
 * <pre>{@code
 * DataPlane dataPlane = new DataPlane(new Engine(EngineConfig.empty(), EngineLimits.defaults()));
 * dataPlane.prepare(config);  // opens sockets for new devices; IOException names a missing device or privilege
 * dataPlane.apply(config);    // swaps the engine's config and the interface map; closes ports no longer used
 * dataPlane.start();          // the worker; before start, apply and query run on the caller's thread
 * ...
 * dataPlane.close();          // joins the worker, closes every port
 * }</pre>
 * Ports are opened in the network namespace of the thread that calls {@link #prepare} (or {@link #apply},
 * {@link #start}), unless the {@link PortOpener} enters one: {@code PortOpener.afPacket(g).inNamespace("router")}.
 * Sockets keep the namespace they were created in, so the worker may run anywhere.
 * <p>
 * One worker turn: take up to {@value #BATCH_FRAMES} frames from each port (IPv4 to the engine in place in the RX
 * frame, then copied into a TX frame of the egress port; ARP to the interface's L2 adapter), kick every TX ring
 * once, run queued management calls, and about every 100 ms expire sessions and age neighbours (expiry again in
 * each turn while the engine says more sessions are due than one call removes). When a turn found
 * no frame the worker sleeps in {@code poll} on all RX sockets and a wake-up eventfd, at most 100 ms.
 * Nothing in a turn allocates or logs per packet.
 */
public final class DataPlane implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataPlane.class.getName());

    private static final int PROTOCOL_OFFSET = 9;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** Design note packet-io.md: batch up to 256 frames per port per kick. */
    static final int BATCH_FRAMES = 256;
    static final int POLL_TIMEOUT_MILLIS = 100;
    static final int PEER_POLL_TIMEOUT_MILLIS = 10;
    /** The engine contract: {@code Engine.expire} about every 100 ms. */
    static final long TICK_NANOS = 100_000_000L;
    static final long QUERY_TIMEOUT_SECONDS = 5;
    static final long JOIN_TIMEOUT_MILLIS = 5_000;
    /** Distinct internal errors logged with a stack trace; further ones are only counted. */
    static final int MAX_DISTINCT_ERRORS = 64;

    private enum State { NEW, RUNNING, CLOSED }

    private final Engine engine;
    private final PortOpener opener;
    /** This worker's rings to the others of a {@link DataPlaneGroup}; null when it is the only worker. */
    private final WorkerLink link;
    private final ReceivedFrame peerFrame = new ReceivedFrame();
    /** Serializes prepare, apply, start and close (management calls may come from several threads). */
    private final ReentrantLock management = new ReentrantLock();
    /** Guards {@link #state} and the decision to queue a command or run it on the caller's thread. */
    private final Object stateLock = new Object();
    private final ConcurrentLinkedQueue<FutureTask<?>> commands = new ConcurrentLinkedQueue<>();

    // Management side, guarded by `management`.
    private final Map<String, PacketPort> openPorts = new HashMap<>();
    private EventFd wakeUp;
    private Thread worker;
    private volatile State state = State.NEW;
    private volatile boolean stopRequested;

    // Worker side: touched only by the worker, or by the caller before start / after close.
    private final long[] drops = new long[FrameDropReason.values().length];
    private final Packet packet = new Packet();
    private final ReceivedFrame frame = new ReceivedFrame();
    private BoundInterface[] interfaces = new BoundInterface[0];
    private Map<String, BoundInterface> byDevice = new HashMap<>();
    private EngineConfig activeConfig;
    private MemorySegment pollFds = MemorySegment.NULL;
    private int pollCount;
    private long lastTickNanos;
    /** The last {@code Engine.expire} hit its removal bound: call it again next turn rather than in 100 ms. */
    private boolean expiryBacklog;
    private final Map<String, Long> distinctErrors = new HashMap<>();

    /** A data plane of AF_PACKET ports with the default ring size. */
    public DataPlane(Engine engine) {
        this(engine, PortOpener.afPacket(RingGeometry.DEFAULT));
    }

    public DataPlane(Engine engine, PortOpener opener) {
        this(engine, opener, null);
    }

    /** Worker {@code link.index} of a {@link DataPlaneGroup}. */
    DataPlane(Engine engine, PortOpener opener, WorkerLink link) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.link = link;
        if (link != null) {
            link.engine(engine);
        }
    }

    /**
     * Opens the ports for the devices of {@code next} that have none yet, so that a commit can be refused before
     * anything changes. The new ports stay unused until {@link #apply}; ports of a config that is never applied
     * are closed by the next {@link #apply} or by {@link #close}.
     *
     * @throws IOException naming the device and what is missing, e.g. "interface 'eth7' does not exist ..." or
     *                     "opening a packet socket for interface 'eth1' needs CAP_NET_RAW (run algd as root)"
     */
    public void prepare(EngineConfig next) throws IOException {
        management.lock();
        try {
            if (state == State.CLOSED) {
                throw new IllegalStateException("the data plane is closed");
            }
            Map<String, String> interfaceByDevice = new HashMap<>();
            for (InterfaceConfig ic : next.interfaces()) {
                String other = interfaceByDevice.putIfAbsent(ic.device(), ic.name());
                if (other != null) {
                    throw new IOException("interfaces '" + other + "' and '" + ic.name() + "' both use device '"
                            + ic.device() + "'; packet I/O binds one port per device, give each interface its own");
                }
            }
            for (InterfaceConfig ic : next.interfaces()) {
                if (!openPorts.containsKey(ic.device())) {
                    openPorts.put(ic.device(), opener.open(ic.device()));
                }
            }
        } finally {
            management.unlock();
        }
    }

    /**
     * Makes {@code next} the running config: the engine's config and the interface map (interface index =
     * position in {@code next.interfaces()}) change together between two batches on the worker; an interface
     * gets one gratuitous ARP per address it did not own before. Ports whose devices are no longer configured are
     * closed afterwards. Opens missing ports first (as {@link #prepare}).
     *
     * @throws UncheckedIOException if a port could not be opened (call {@link #prepare} first to get it checked)
     */
    public void apply(EngineConfig next) {
        Objects.requireNonNull(next, "next");
        management.lock();
        try {
            try {
                prepare(next);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            Map<String, PacketPort> ports = Map.copyOf(openPorts);
            onWorker(() -> {
                activate(next, ports);
                return null;
            });
            Set<String> devices = new HashSet<>();
            for (InterfaceConfig ic : next.interfaces()) {
                devices.add(ic.device());
            }
            for (var it = openPorts.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (!devices.contains(entry.getKey())) {
                    entry.getValue().close();
                    it.remove();
                    LOG.log(System.Logger.Level.INFO, "closed the port of ''{0}'' (no longer configured)",
                            entry.getKey());
                }
            }
        } finally {
            management.unlock();
        }
    }

    /**
     * Starts the worker. The engine's current config is applied first if {@link #apply} has not been called.
     *
     * @throws IOException when a port of the engine's config cannot be opened
     */
    public void start() throws IOException {
        management.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("the data plane was already " + (state == State.RUNNING ? "started" : "closed"));
            }
            EngineConfig current = engine.config();
            if (activeConfig != current) {
                prepare(current);
                activate(current, Map.copyOf(openPorts));
            }
            wakeUp = new EventFd();
            rebuildPollSet();
            Thread thread = new Thread(this::run, "algd-dataplane-" + (link == null ? 0 : link.index));
            thread.setUncaughtExceptionHandler((t, e) -> LOG.log(System.Logger.Level.ERROR,
                    "the data-plane worker stopped with an error", e));
            synchronized (stateLock) {
                worker = thread;
                state = State.RUNNING;
            }
            thread.start();
            LOG.log(System.Logger.Level.INFO, "data plane started with {0} interface(s)",
                    Integer.toString(interfaces.length));
        } finally {
            management.unlock();
        }
    }

    /**
     * Runs {@code function} on the worker thread between two batches and returns its result. Waits up to
     * {@value #QUERY_TIMEOUT_SECONDS} s. Before {@link #start} and after {@link #close} it runs on the calling thread.
     * The function must not keep the engine or call back into the data plane.
     *
     * @throws IllegalStateException when the worker did not answer in time
     */
    public <T> T query(Function<Engine, T> function) {
        Objects.requireNonNull(function, "function");
        return onWorker(() -> function.apply(engine));
    }

    /** The data plane's counters (per port, drops by reason); the engine's are {@code query(Engine::counters)}. */
    public DataPlaneCounters counters() {
        return onWorker(this::snapshotCounters);
    }

    /** Whether the worker thread is running. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Stops the worker (waits up to 5 s) and closes every port. Idempotent. */
    @Override
    public void close() {
        management.lock();
        try {
            State before;
            synchronized (stateLock) {
                before = state;
                state = State.CLOSED;
                stopRequested = true;
            }
            if (before == State.CLOSED) {
                return;
            }
            boolean stopped = true;
            if (before == State.RUNNING) {
                wakeUp.signal();
                try {
                    worker.join(JOIN_TIMEOUT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped = !worker.isAlive();
                if (!stopped) {
                    LOG.log(System.Logger.Level.ERROR, "the data-plane worker did not stop within {0} ms;"
                            + " its ports are closed anyway and it will fail on its next access",
                            Long.toString(JOIN_TIMEOUT_MILLIS));
                }
            }
            for (BoundInterface b : interfaces) {
                b.neighbours.clear(FrameDropReason.INTERFACE_REMOVED);
                b.neighbours6.clear(FrameDropReason.INTERFACE_REMOVED);
            }
            for (PacketPort port : openPorts.values()) {
                port.close();
            }
            openPorts.clear();
            if (wakeUp != null && stopped) {
                wakeUp.close();
            }
            LOG.log(System.Logger.Level.INFO, "data plane closed");
        } finally {
            management.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ management plumbing

    private <T> T onWorker(Supplier<T> work) {
        FutureTask<T> task = new FutureTask<>(work::get);
        synchronized (stateLock) {
            if (state != State.RUNNING || Thread.currentThread() == worker) {
                return work.get();
            }
            commands.add(task);
            wakeUp.signal();   // under the lock: close() cannot have closed the eventfd yet
        }
        try {
            return task.get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            task.cancel(false);
            throw new IllegalStateException("the data-plane worker did not answer within " + QUERY_TIMEOUT_SECONDS
                    + " s (it may be stuck; see the log)", e);
        } catch (InterruptedException e) {
            task.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the data-plane worker", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("the data plane stopped before running the call", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Installs {@code next}: on the worker, or on the caller before start. */
    private void activate(EngineConfig next, Map<String, PacketPort> ports) {
        List<InterfaceConfig> configured = next.interfaces();
        BoundInterface[] nextInterfaces = new BoundInterface[configured.size()];
        Map<String, BoundInterface> nextByDevice = new HashMap<>();
        for (int i = 0; i < configured.size(); i++) {
            InterfaceConfig ic = configured.get(i);
            BoundInterface b = byDevice.get(ic.device());
            if (b == null) {
                PacketPort port = ports.get(ic.device());
                if (port == null) {
                    throw new IllegalStateException("no port was prepared for device '" + ic.device() + "'");
                }
                b = new BoundInterface(port, drops);
            }
            nextInterfaces[i] = b;
            nextByDevice.put(ic.device(), b);
        }
        // Nothing has changed so far; from here on nothing throws except a failing engine.apply, which comes first.
        if (engine.config() != next) {
            engine.apply(next);
        }
        // Every apply resets the engine's MTUs; a DF packet too long for its egress device is the engine's to answer
        // (ICMP fragmentation needed quotes the packet before NAT), so it must know each device's MTU.
        for (int i = 0; i < configured.size(); i++) {
            engine.interfaceMtu(i, nextInterfaces[i].port.mtu());
        }
        List<int[]> announcements = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            announcements.add(nextInterfaces[i].configure(i, configured.get(i), next));
        }
        for (Map.Entry<String, BoundInterface> old : byDevice.entrySet()) {
            if (!nextByDevice.containsKey(old.getKey())) {
                old.getValue().neighbours.clear(FrameDropReason.INTERFACE_REMOVED);
                old.getValue().neighbours6.clear(FrameDropReason.INTERFACE_REMOVED);
            }
        }
        interfaces = nextInterfaces;
        byDevice = nextByDevice;
        activeConfig = next;
        if (link != null) {
            link.steering(new Steering(next, link.workers));
        }
        for (int i = 0; i < nextInterfaces.length; i++) {
            if (link == null || link.index == 0) {   // one announcement per address, from the worker that answers ARP
                nextInterfaces[i].announce(announcements.get(i));
            }
            flush(nextInterfaces[i]);
        }
        rebuildPollSet();
    }

    /** One pollfd for the wake-up eventfd, then one per interface in index order. */
    private void rebuildPollSet() {
        int count = interfaces.length + 1;
        MemorySegment fds = Arena.ofAuto().allocate(count * LibC.POLLFD_SIZE, 8);
        fds.set(ValueLayout.JAVA_INT, LibC.POLLFD_FD, wakeUp == null ? -1 : wakeUp.fd());
        fds.set(ValueLayout.JAVA_SHORT, LibC.POLLFD_EVENTS, LibC.POLLIN);
        for (int i = 0; i < interfaces.length; i++) {
            long at = (i + 1) * LibC.POLLFD_SIZE;
            fds.set(ValueLayout.JAVA_INT, at + LibC.POLLFD_FD, interfaces[i].port.pollFd());
            fds.set(ValueLayout.JAVA_SHORT, at + LibC.POLLFD_EVENTS, LibC.POLLIN);
        }
        pollFds = fds;
        pollCount = count;
    }

    private DataPlaneCounters snapshotCounters() {
        List<PortCounters> ports = new ArrayList<>(interfaces.length);
        for (BoundInterface b : interfaces) {
            b.kernelDrops += b.port.takeKernelDrops();
            ports.add(b.counters());
        }
        Map<FrameDropReason, Long> byReason = new LinkedHashMap<>();
        for (FrameDropReason reason : FrameDropReason.values()) {
            byReason.put(reason, drops[reason.ordinal()]);
        }
        return new DataPlaneCounters(ports, byReason);
    }

    // ------------------------------------------------------------------------------------------------------- worker

    private void run() {
        lastTickNanos = System.nanoTime();
        while (!stopRequested) {
            int frames = turn(System.nanoTime());
            if (frames == 0 && !expiryBacklog && !stopRequested) {
                sleepInPoll();
            }
        }
        runCommands();   // callers queued before close() set the state get their answer
        LOG.log(System.Logger.Level.INFO, "data-plane worker stopped");
    }

    /**
     * One worker turn at time {@code now}: a batch from every port, one TX kick per port, queued management calls,
     * and the 100 ms housekeeping when due. Returns the number of frames taken. Tests call it directly.
     */
    int turn(long now) {
        BoundInterface[] current = interfaces;
        int frames = 0;
        for (BoundInterface b : current) {
            frames += receive(b, now);
        }
        if (link != null) {
            drainPeers(now);
        }
        for (BoundInterface b : current) {
            flush(b);
        }
        runCommands();
        if (now - lastTickNanos >= TICK_NANOS) {
            tick(now);
            lastTickNanos = now;
        } else if (expiryBacklog) {
            // Sessions falling due by the million are removed a bounded slice per turn, between batches.
            expiryBacklog = engine.expire(now);
        }
        return frames;
    }

    /** One turn's worth of frames from {@code b}'s port; returns how many were taken. */
    private int receive(BoundInterface b, long now) {
        PacketPort port = b.port;
        int taken = 0;
        while (taken < BATCH_FRAMES && port.nextReceived(frame)) {
            taken++;
            try {
                if (link != null) {
                    link.drainControl(now);   // after taking the frame: see WorkerLink.drainControl
                }
                handleFrame(b, frame, now, false);
            } catch (RuntimeException e) {
                internalError(e);
            } finally {
                port.releaseReceived();
            }
        }
        return taken;
    }

    /**
     * Handles one frame received on {@code b}, or copied from a peer worker ({@code fromPeer}: handed off, never
     * handed on).
     */
    private void handleFrame(BoundInterface b, ReceivedFrame frame, long now, boolean fromPeer) {
        if (!fromPeer) {   // counted by the worker that received it
            b.rxFrames++;
            b.rxBytes += frame.wireLength;
        }
        if (frame.length < frame.wireLength) {
            drop(FrameDropReason.RX_TRUNCATED);
            return;
        }
        if (frame.length < Ethernet.HEADER_LENGTH) {
            drop(FrameDropReason.RUNT);
            return;
        }
        MemorySegment segment = frame.segment;
        int type = Ethernet.type(segment, frame.offset);
        if (frame.vlanTagStripped || Ethernet.isVlanType(type)) {
            drop(FrameDropReason.VLAN_TAGGED);
            return;
        }
        if (type != Ethernet.TYPE_IPV4 && type != Ethernet.TYPE_ARP && type != Ethernet.TYPE_IPV6) {
            drop(FrameDropReason.OTHER_ETHERTYPE);
            return;
        }
        // Linux's ip_rcv and arp_rcv drop PACKET_OTHERHOST frames too: they are for another station.
        if (frame.packetType == ReceivedFrame.PACKET_OTHERHOST) {
            drop(FrameDropReason.NOT_FOR_THIS_HOST);
            return;
        }
        long l3 = frame.offset + Ethernet.HEADER_LENGTH;
        if (type == Ethernet.TYPE_ARP) {
            b.handleArp(segment, l3, frame.offset + frame.length, now);
            if (link != null) {
                // Only worker 0 receives ARP (Steering); the others learn the same neighbours from its copies.
                for (int peer = 1; peer < link.workers; peer++) {
                    if (link.postFrame(peer, WorkerLink.KIND_ARP_COPY, b.index(), frame, false)) {
                        link.arpCopiesPosted++;
                    }
                }
            }
            return;
        }
        if (type == Ethernet.TYPE_IPV6 && b.handleNeighbourDiscovery(segment, l3, frame.offset + frame.length, now)) {
            return;
        }
        packet.segment = segment;
        packet.offset = l3;
        packet.length = frame.length - Ethernet.HEADER_LENGTH;
        // An ALG rewrite may grow the packet up to the end of its RX frame slot; the engine sets the new length.
        packet.capacity = (int) Math.min((frame.limit != 0 ? frame.limit : segment.byteSize()) - l3, 65_535);
        packet.ingressInterface = b.index();
        int gsoType = frame.gsoType;
        int protocol = segment.get(ValueLayout.JAVA_BYTE, l3 + PROTOCOL_OFFSET) & 0xff;
        packet.segmentLength = 0;
        if (gsoType != ReceivedFrame.GSO_NONE) {
            int segmentLength = gsoSegmentLength(segment, l3, packet.length, gsoType, frame.gsoSize, protocol);
            if (segmentLength == 0) {
                drop(FrameDropReason.GSO_UNSUPPORTED);
                return;
            }
            packet.segmentLength = segmentLength;
        } else if (frame.checksumNotReady) {
            // Design note pitfall 1: CHECKSUM_PARTIAL from a veth/tap sender; the engine needs complete checksums.
            // A GSO frame keeps its partial checksum: its field is rewritten after the engine (partialChecksum).
            Checksums.completeL4Checksum(segment, l3, packet.length);
            b.checksumsCompleted++;
        }
        if (engine.process(packet, now) != Verdict.FORWARD) {
            if (link != null && !fromPeer && type == Ethernet.TYPE_IPV4 && handOff(b, frame, gsoType)) {
                return;
            }
            drop(FrameDropReason.ENGINE_VERDICT);
            return;
        }
        int egress = packet.egressInterface;
        BoundInterface[] current = interfaces;
        if (egress < 0 || egress >= current.length) {
            drop(FrameDropReason.EGRESS_UNKNOWN);
            return;
        }
        BoundInterface out = current[egress];
        if (type == Ethernet.TYPE_IPV6) {
            out.transmitIpv6(packet.segment, packet.offset, packet.length, packet.nextHopHigh, packet.nextHopLow, now);
            return;
        }
        int wireLength = packet.length;
        long start = packet.offset;
        if (gsoType != ReceivedFrame.GSO_NONE
                && (segment.get(ValueLayout.JAVA_BYTE, start + PROTOCOL_OFFSET) & 0xff) == protocol) {
            if (out.port.hasVnetHeaders()) {
                wireLength = packet.segmentLength;
                offloadGso(out.port, segment, start, gsoType, frame.gsoSize, protocol);
            } else {
                // A port without vnet headers (TUN) takes the whole packet with a complete checksum.
                Checksums.completeL4Checksum(segment, start, packet.length);
            }
        }
        out.transmitIpv4(segment, start, packet.length, wireLength, packet.nextHop, now);
        if (wireLength != packet.length) {
            out.port.offloadNextTransmit(ReceivedFrame.GSO_NONE, 0, 0, 0, 0);   // unused if the packet was held
        }
    }

    /**
     * The IP length of the segments a GSO frame becomes: its IP and L4 headers plus {@code gsoSize} bytes of payload;
     * 0 when the frame is not TCP (GSO_TCPV4) or UDP (GSO_UDP_L4) over IPv4 or its headers do not fit.
     */
    static int gsoSegmentLength(MemorySegment segment, long l3, int length, int gsoType, int gsoSize, int protocol) {
        if (length < 20 || gsoSize <= 0) {
            return 0;
        }
        int versionIhl = segment.get(ValueLayout.JAVA_BYTE, l3) & 0xff;
        int ipHeader = (versionIhl & 0x0f) << 2;
        if (versionIhl >>> 4 != 4 || ipHeader < 20) {
            return 0;
        }
        int l4Header;
        if (gsoType == ReceivedFrame.GSO_TCPV4 && protocol == PROTOCOL_TCP && length >= ipHeader + 20) {
            l4Header = (segment.get(ValueLayout.JAVA_BYTE, l3 + ipHeader + 12) & 0xf0) >>> 2;
        } else if (gsoType == ReceivedFrame.GSO_UDP_L4 && protocol == PROTOCOL_UDP) {
            l4Header = 8;
        } else {
            return 0;
        }
        int headers = ipHeader + l4Header;
        return l4Header >= 8 && headers < length ? Math.min(length, headers + gsoSize) : 0;
    }

    /**
     * Sends the GSO packet at {@code l3} (after the engine) as GSO with a partial checksum: the checksum field gets
     * the pseudo-header sum of the packet's new addresses and length, which is what the kernel or the peer completes
     * over the L4 bytes (design note packet-io.md, pitfall 1). Whatever the engine did to the field, and to ports or
     * sequence numbers, is then right, since those bytes are summed on egress.
     */
    private static void offloadGso(PacketPort port, MemorySegment segment, long l3, int gsoType, int gsoSize,
            int protocol) {
        int ipHeader = (segment.get(ValueLayout.JAVA_BYTE, l3) & 0x0f) << 2;
        int totalLength = segment.get(U16, l3 + 2) & 0xffff;
        int l4Length = totalLength - ipHeader;
        int checksumOffset = protocol == PROTOCOL_TCP ? 16 : 6;
        int l4Header = protocol == PROTOCOL_TCP
                ? (segment.get(ValueLayout.JAVA_BYTE, l3 + ipHeader + 12) & 0xf0) >>> 2 : 8;
        long pseudo = Checksums.pseudoHeaderSum(segment.get(U32, l3 + 12), segment.get(U32, l3 + 16), protocol,
                l4Length);
        segment.set(U16, l3 + ipHeader + checksumOffset, (short) Checksums.fold(pseudo));
        port.offloadNextTransmit(gsoType, gsoSize, Ethernet.HEADER_LENGTH + ipHeader + l4Header,
                Ethernet.HEADER_LENGTH + ipHeader, checksumOffset);
    }

    /**
     * A packet to one of algd's addresses that found no session here may belong to a flow another worker owns
     * (hairpin, or an interface that is both inside and outside): it is copied once to the worker its other address
     * steers to, if that is not this one. True when it was handed off.
     */
    private boolean handOff(BoundInterface b, ReceivedFrame frame, int gsoType) {
        DropReason reason = engine.lastDropReason();
        if (reason != DropReason.NO_SESSION_FOR_TRANSLATION_ADDRESS && reason != DropReason.LOCAL_DESTINATION) {
            return false;
        }
        Steering steering = link.steering();
        long l3 = frame.offset + Ethernet.HEADER_LENGTH;
        // The other address than the one that steered it here: the destination on an outside interface.
        int other = frame.segment.get(U32, l3 + (steering.isOutside(b.index()) ? 16 : 12));
        int peer = steering.ownerOf(other);
        // A complete checksum stays complete: only a GSO frame kept its partial one (handleFrame).
        if (peer == link.index || !link.postFrame(peer, WorkerLink.KIND_HAND_OFF, b.index(), frame,
                frame.checksumNotReady && gsoType != ReceivedFrame.GSO_NONE)) {
            return false;
        }
        link.framesHandedOff++;
        return true;
    }

    /** Control messages, then frames, the peer workers posted to this one. */
    private void drainPeers(long now) {
        link.drainControl(now);
        BoundInterface[] current = interfaces;
        for (int peer = 0; peer < link.workers; peer++) {
            SpscRing ring = link.framesFrom(peer);
            if (ring == null) {
                continue;
            }
            int slot;
            while ((slot = ring.peek()) >= 0) {
                try {
                    int kind = WorkerLink.readFrame(ring, slot, peerFrame);
                    int index = WorkerLink.frameInterface(ring, slot);
                    if (index >= 0 && index < current.length) {
                        link.framesReceivedFromPeers++;
                        BoundInterface b = current[index];
                        if (kind == WorkerLink.KIND_ARP_COPY) {
                            long l3 = Ethernet.HEADER_LENGTH;
                            b.handleArp(peerFrame.segment, l3, peerFrame.length, now, false);
                        } else {
                            handleFrame(b, peerFrame, now, true);
                        }
                    }
                } catch (RuntimeException e) {
                    internalError(e);
                } finally {
                    ring.release();
                }
            }
        }
    }

    private void drop(FrameDropReason reason) {
        drops[reason.ordinal()]++;
    }

    private void flush(BoundInterface b) {
        if (!b.port.flushTransmit()) {
            b.txFlushFailures++;
        }
    }

    private void tick(long now) {
        expiryBacklog = engine.expire(now);
        for (BoundInterface b : interfaces) {
            b.neighbours.age(now);
            b.neighbours6.age(now);
            flush(b);
        }
    }

    private void runCommands() {
        FutureTask<?> task;
        while ((task = commands.poll()) != null) {
            task.run();
        }
    }

    private void sleepInPoll() {
        MemorySegment fds = pollFds;
        int count = pollCount;
        // Peers post without a wake-up (no syscall on their path): with peers, look at the rings every 10 ms.
        int ready = LibC.poll(fds, count, link == null ? POLL_TIMEOUT_MILLIS : PEER_POLL_TIMEOUT_MILLIS);
        if (ready <= 0) {
            return;   // timeout, or EINTR: the next turn looks again
        }
        if ((fds.get(ValueLayout.JAVA_SHORT, LibC.POLLFD_REVENTS) & LibC.POLLIN) != 0) {
            wakeUp.drain();
        }
        for (int i = 1; i < count; i++) {
            long at = i * LibC.POLLFD_SIZE;
            short revents = fds.get(ValueLayout.JAVA_SHORT, at + LibC.POLLFD_REVENTS);
            if ((revents & (LibC.POLLERR | LibC.POLLNVAL)) != 0) {
                portError(i - 1, revents, fds, at);
            }
        }
    }

    /** A socket error (e.g. ENETDOWN when the device went down) is read, cleared, counted and logged once. */
    private void portError(int index, short revents, MemorySegment fds, long at) {
        BoundInterface b = interfaces[index];
        b.socketErrors++;
        if ((revents & LibC.POLLNVAL) != 0) {
            fds.set(ValueLayout.JAVA_INT, at + LibC.POLLFD_FD, -1);   // stop polling a descriptor that is gone
            logDistinct("port " + b.port.device() + ": descriptor invalid", null);
            return;
        }
        int errno = b.port.takeSocketError();
        logDistinct("port " + b.port.device() + ": " + (errno == 0 ? "poll error" : LibC.describeErrno(errno)), null);
    }

    private void internalError(RuntimeException e) {
        drop(FrameDropReason.INTERNAL_ERROR);
        StackTraceElement[] trace = e.getStackTrace();
        logDistinct(e.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : ""), e);
    }

    private void logDistinct(String key, Throwable error) {
        Long seen = distinctErrors.get(key);
        if (seen != null) {
            distinctErrors.put(key, seen + 1);
            return;
        }
        if (distinctErrors.size() < MAX_DISTINCT_ERRORS) {
            distinctErrors.put(key, 1L);
            LOG.log(System.Logger.Level.ERROR, "data plane: " + key + " (logged once; later occurrences are counted)",
                    error);
        }
    }

    /** Number of times each distinct error was seen (management path). */
    Map<String, Long> distinctErrors() {
        return onWorker(() -> Map.copyOf(distinctErrors));
    }
}
