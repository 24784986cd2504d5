package dev.algd.engine.bench;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.Verdict;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Session creation with source NAT (port preservation): every operation is the first UDP packet of a new flow, in a
 * 2^20-session table. When the table is half full the clock jumps past the UDP timeout and the incremental sweep
 * ({@link Engine#expire}) empties it, inside the operation that filled it, so the figure includes the cost of
 * expiring what was created. Flows: 10.0.0.2 upwards, source port 1024 + i mod 64000, to 100.64.0.0 + i / 64000
 * port 53 (distinct reply keys, so every translated port is the original one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// As the daemon runs (netconf-server/bin/algd).
@Fork(jvmArgsPrepend = "-XX:+UseTransparentHugePages")
public class SessionCreationBenchmark {
    private static final int CAPACITY = 1 << 20;
    private static final int FLOWS = CAPACITY / 2;
    private static final int FRAME = 64;
    private static final long SECOND = 1_000_000_000L;

    private Engine engine;
    private final Packet packet = new Packet();
    private MemorySegment templates;
    private MemorySegment buffer;
    private int next;
    private long now = 1_000 * SECOND;

    @Setup(Level.Trial)
    public void build() {
        engine = new Engine(BenchNetwork.config(), new EngineLimits(CAPACITY));
        Arena arena = Arena.ofShared();
        templates = arena.allocate((long) FRAME * FLOWS);
        buffer = arena.allocate(2048);
        for (int i = 0; i < FLOWS; i++) {
            String destination = dev.algd.engine.config.Ipv4Addresses.format(0x64400000 + i / 64000);
            TestPackets.udp().from(BenchNetwork.insideHost(i), 1024 + i % 64000).to(destination, 53)
                    .payload("0123456789abcdef0123456789abcdef1234").writeInto(templates, (long) FRAME * i);
        }
    }

    @Benchmark
    public Verdict createSession() {
        int flow = next;
        MemorySegment.copy(templates, (long) FRAME * flow, buffer, 0, FRAME);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = FRAME;
        packet.ingressInterface = BenchNetwork.INSIDE;
        Verdict verdict = engine.process(packet, now);
        if (flow + 1 == FLOWS) {
            now += 3_600 * SECOND;
            // A call that answers false examined a whole slice; 64 of them cover the 2^20-slot table.
            for (int wholeSlices = 0; wholeSlices < CAPACITY / 16_384; ) {
                if (!engine.expire(now)) {
                    wholeSlices++;
                }
            }
            next = 0;
        } else {
            next = flow + 1;
        }
        return verdict;
    }

    /** Every flow must have become a session: a drop (table full, no port) would make the figure meaningless. */
    @TearDown(Level.Trial)
    public void checkNothingDropped() {
        long dropped = engine.counters().packetsDropped();
        if (dropped != 0) {
            throw new IllegalStateException(dropped + " packets dropped: " + engine.counters().drops());
        }
    }
}
