package dev.algd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.SessionView;
import dev.algd.engine.Verdict;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.StaticRoute;
import dev.algd.engine.session.SessionTable;
import dev.algd.engine.session.Timeouts;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The walk over every worker's sessions a page at a time that a {@code <get>} of the session table streams from. */
class SessionPagesTest {
    private static final int CLIENT = TestFrames.ip("192.0.2.10");
    private static final int SERVER = TestFrames.ip("198.51.100.7");
    private static final int SYN = 0x02;
    private static final EngineConfig CONFIG = new EngineConfig(java.util.Map.of(), List.of(
            new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.0.2.1/24"))),
            new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("198.51.100.1/24")))),
            List.of(new StaticRoute(Ipv4Prefix.parse("0.0.0.0/0"), TestFrames.ip("198.51.100.254"))), List.of());

    private final Packet packet = new Packet();

    private static Engine worker(int index) {
        return new Engine(CONFIG, new EngineLimits(1024), Timeouts.defaults(), List.of(), index, 2);
    }

    /** {@code count} TCP sessions on {@code engine}, from client ports {@code firstPort} on. */
    private void open(Engine engine, int firstPort, int count) {
        for (int port = firstPort; port < firstPort + count; port++) {
            byte[] ip = TestFrames.ipv4(TestFrames.TCP, CLIENT, SERVER, 64,
                    TestFrames.tcp(CLIENT, SERVER, port, 80, SYN, new byte[0], false));
            packet.segment = MemorySegment.ofArray(ip);
            packet.offset = 0;
            packet.length = ip.length;
            packet.capacity = ip.length;
            packet.ingressInterface = 0;
            assertEquals(Verdict.FORWARD, engine.process(packet, System.nanoTime()));
        }
    }

    private static DataPlaneGroup group(Engine... engines) {
        return new DataPlaneGroup(List.of(engines), device -> {
            throw new IOException("no device in this test");
        });
    }

    @Test
    void pagesWalkEveryWorkerInTurnFullUntilTheLastAndListEachSessionOnce() {
        Engine first = worker(0);
        Engine second = worker(1);
        open(first, 10000, 40);
        open(second, 20000, 25);
        try (DataPlaneGroup group = group(first, second)) {
            SessionPages pages = group.sessionPages(7);
            List<SessionView> page = new ArrayList<>();
            List<Long> walked = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            while (pages.next(page)) {
                sizes.add(page.size());
                page.forEach(s -> walked.add(s.id()));
            }
            assertTrue(page.isEmpty());
            assertFalse(pages.next(page), "a finished walk stays finished");
            List<Long> expected = Stream.concat(first.sessions(System.nanoTime()).stream(),
                    second.sessions(System.nanoTime()).stream()).map(SessionView::id).toList();
            assertEquals(expected, walked);
            assertEquals(65, walked.size());
            // 65 = 9 pages of 7 and one of 2; the sixth page holds worker 0's last five and worker 1's first two.
            assertEquals(List.of(7, 7, 7, 7, 7, 7, 7, 7, 7, 2), sizes);
            assertEquals(List.of(0, 1), walked.stream().map(SessionTable::workerOf).distinct().toList());
        }
    }

    @Test
    void aWalkOfEmptyTablesEndsAtOnce() {
        try (DataPlaneGroup group = group(worker(0), worker(1))) {
            assertFalse(group.sessionPages(100).next(new ArrayList<>()));
        }
    }

    @Test
    void aPageOfNoSessionsIsRefused() {
        try (DataPlaneGroup group = group(worker(0))) {
            assertThrows(IllegalArgumentException.class, () -> group.sessionPages(0));
        }
    }
}
