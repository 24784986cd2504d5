package dev.algd.engine.bench;

import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.SYN;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.Verdict;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The established-flow fast path with source NAT: 64-byte IPv4 TCP packets (20 + 20 + 24 bytes of payload) of
 * {@code flows} established sessions (hosts 10.0.0.2 upwards, port 40000, to 100.64.0.0/24 port 80), round robin, outbound (inside host to server: source translated) and inbound
 * (server to the translated address: destination translated back). Each operation copies the 64-byte template into
 * the worker's buffer (process rewrites in place, as packet-io's ring frame) and processes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
// As the daemon runs (netconf-server/bin/algd): with 65,536 flows the session records span thousands of 4 KiB pages.
@Fork(jvmArgsPrepend = "-XX:+UseTransparentHugePages")
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnatFastPathBenchmark {
    private static final int FRAME = 64;
    private static final long NOW = 1_000_000_000_000L;

    @Param({"1", "65536"})
    public int flows;

    private Engine engine;
    private final Packet packet = new Packet();
    private MemorySegment outbound;
    private MemorySegment inbound;
    private MemorySegment buffer;
    private int next;

    @Setup(Level.Trial)
    public void establish() {
        engine = new Engine(BenchNetwork.config(), new EngineLimits(1 << 18));
        Arena arena = Arena.ofShared();
        outbound = arena.allocate((long) FRAME * flows);
        inbound = arena.allocate((long) FRAME * flows);
        buffer = arena.allocate(2048);
        String payload = "x".repeat(24);
        for (int i = 0; i < flows; i++) {
            String host = BenchNetwork.insideHost(i);
            // 256 servers, so that 65536 flows from port 40000 do not exhaust one server's translated ports.
            String server = dev.algd.engine.config.Ipv4Addresses.format(0x64400000 + i % 256);
            TestPackets.tcp().from(host, 40000).to(server, 80).flags(SYN).seq(999).writeInto(buffer, 0);
            check(process(buffer, 40, BenchNetwork.INSIDE));
            int translatedPort = Short.toUnsignedInt(
                    buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 20));
            TestPackets.tcp().from(server, 80).to(BenchNetwork.OUTSIDE_ADDRESS, translatedPort)
                    .flags(SYN | ACK).seq(4999).ack(1000).writeInto(buffer, 0);
            check(process(buffer, 40, BenchNetwork.OUTSIDE));
            int length = TestPackets.tcp().from(host, 40000).to(server, 80).flags(ACK).seq(1000).ack(5000)
                    .payload(payload).writeInto(outbound, (long) FRAME * i);
            if (length != FRAME) {
                throw new IllegalStateException("template is " + length + " bytes");
            }
            TestPackets.tcp().from(server, 80).to(BenchNetwork.OUTSIDE_ADDRESS, translatedPort).flags(ACK)
                    .seq(5000).ack(1024).payload(payload).writeInto(inbound, (long) FRAME * i);
        }
    }

    private static void check(Verdict verdict) {
        if (verdict != Verdict.FORWARD) {
            throw new IllegalStateException("set-up packet dropped");
        }
    }

    private Verdict process(MemorySegment segment, int length, int ingress) {
        packet.segment = segment;
        packet.offset = 0;
        packet.length = length;
        packet.capacity = 0;
        packet.ingressInterface = ingress;
        return engine.process(packet, NOW);
    }

    private int nextFlow() {
        int flow = next;
        next = flow + 1 == flows ? 0 : flow + 1;
        return flow;
    }

    @Benchmark
    public Verdict outbound() {
        MemorySegment.copy(outbound, (long) FRAME * nextFlow(), buffer, 0, FRAME);
        return process(buffer, FRAME, BenchNetwork.INSIDE);
    }

    @Benchmark
    public Verdict inbound() {
        MemorySegment.copy(inbound, (long) FRAME * nextFlow(), buffer, 0, FRAME);
        return process(buffer, FRAME, BenchNetwork.OUTSIDE);
    }
}
