package dev.algd.engine.bench;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.Verdict;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * How long forwarding stops while sessions expire. The worker calls {@link Engine#expire} between batches (about
 * every 100 ms), so the longest single call is the longest stall expiry causes. For 65,536 and then 1,048,576 UDP
 * sessions created at once in a 2^21-slot table, the clock jumps past their timeout and {@code expire} is called
 * until the table is empty; each call is timed. Five rounds per size after one warm-up round; prints the calls
 * needed, the median, p99 and the longest call, and the whole sweep. The claim checked: the cost of one call does
 * not grow with the number of sessions due (each call examines a fixed slice of slots). Not a JMH benchmark (only
 * calls while sessions are due count); run by {@code bench/run-jmh.sh expiry}.
 */
public final class ExpiryStallMeasurement {
    private static final int CAPACITY = 1 << 21;
    private static final int ROUNDS = 5;
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_CALLS = 100_000;

    private final Engine engine = new Engine(BenchNetwork.config(), new EngineLimits(CAPACITY));
    private final Packet packet = new Packet();
    private final MemorySegment buffer = Arena.ofAuto().allocate(2048);
    private long now = 1_000 * SECOND;

    private ExpiryStallMeasurement() {
    }

    private void fill(int sessions) {
        for (int i = 0; i < sessions; i++) {
            packet.segment = buffer;
            packet.offset = 0;
            packet.length = TestPackets.udp().from(BenchNetwork.insideHost(i), 1024 + i % 64000)
                    .to(Ipv4Addresses.format(0x64400000 + i / 64000), 53).payload("query").writeInto(buffer, 0);
            packet.ingressInterface = BenchNetwork.INSIDE;
            if (engine.process(packet, now) != Verdict.FORWARD) {
                throw new IllegalStateException("flow " + i + " dropped: " + engine.counters().drops());
            }
        }
        if (engine.counters().sessionsActive() != sessions) {
            throw new IllegalStateException(engine.counters().sessionsActive() + " sessions, wanted " + sessions);
        }
    }

    /** Expires a full table; returns each call's duration in nanoseconds. */
    private long[] sweep() {
        now += 3_600 * SECOND;
        long[] calls = new long[MAX_CALLS];
        int n = 0;
        while (engine.counters().sessionsActive() > 0) {
            if (n == MAX_CALLS) {
                throw new IllegalStateException("table not empty after " + MAX_CALLS + " calls");
            }
            long started = System.nanoTime();
            engine.expire(now);
            calls[n++] = System.nanoTime() - started;
        }
        return Arrays.copyOf(calls, n);
    }

    private void measure(int sessions, boolean print) {
        fill(sessions);
        long[] calls = sweep();
        long total = Arrays.stream(calls).sum();
        Arrays.sort(calls);
        if (print) {
            System.out.printf("%,9d sessions due: %4d calls, median %6.1f us, p99 %6.1f us, longest %7.1f us,"
                    + " whole sweep %6.1f ms%n", sessions, calls.length, calls[calls.length / 2] / 1e3,
                    calls[(int) (calls.length * 0.99)] / 1e3, calls[calls.length - 1] / 1e3, total / 1e6);
        }
    }

    public static void main(String[] args) {
        ExpiryStallMeasurement measurement = new ExpiryStallMeasurement();
        for (int sessions : new int[] {65_536, 1_048_576}) {
            measurement.measure(sessions, false);
            for (int round = 0; round < ROUNDS; round++) {
                measurement.measure(sessions, true);
            }
        }
    }
}
