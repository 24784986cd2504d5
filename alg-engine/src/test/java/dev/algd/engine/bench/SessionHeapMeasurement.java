package dev.algd.engine.bench;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.Verdict;
import dev.algd.engine.config.Ipv4Addresses;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap per session: the used heap after a full GC with an engine of 2^20 session slots, empty and then holding
 * 1,000,000 UDP sessions with source NAT, against the heap before the engine existed. Not a JMH benchmark; run by
 * {@code bench/run-jmh.sh heap}.
 */
public final class SessionHeapMeasurement {
    private static final int SESSIONS = 1_000_000;

    private SessionHeapMeasurement() {
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] args) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemorySegment buffer = Arena.ofAuto().allocate(2048);
        Packet packet = new Packet();
        long before = usedAfterGc(memory);
        Engine engine = new Engine(BenchNetwork.config(), new EngineLimits(1 << 20));
        long empty = usedAfterGc(memory);
        long now = 1_000_000_000_000L;
        for (int i = 0; i < SESSIONS; i++) {
            int length = TestPackets.udp().from(BenchNetwork.insideHost(i), 1024 + i % 64000)
                    .to(Ipv4Addresses.format(0x64400000 + i / 64000), 53).payload("query").writeInto(buffer, 0);
            packet.segment = buffer;
            packet.offset = 0;
            packet.length = length;
            packet.ingressInterface = BenchNetwork.INSIDE;
            if (engine.process(packet, now) != Verdict.FORWARD) {
                throw new IllegalStateException("flow " + i + " dropped: " + engine.counters().drops());
            }
        }
        long full = usedAfterGc(memory);
        long sessions = engine.counters().sessionsActive();
        System.out.printf("sessions=%d capacity=%d%n", sessions, 1 << 20);
        System.out.printf("heap: before engine %,d B, empty engine %,d B, with sessions %,d B%n", before, empty, full);
        System.out.printf("engine with %d sessions: %,d B = %.1f B/session (of which the empty 2^20-slot table: %.1f"
                + " B/session; added by the sessions themselves: %.1f B/session)%n", sessions, full - before,
                (full - before) / (double) sessions, (empty - before) / (double) sessions,
                (full - empty) / (double) sessions);
    }
}
