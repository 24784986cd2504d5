package dev.algd.io;

import static dev.algd.io.DataPlaneTest.CLIENT;
import static dev.algd.io.DataPlaneTest.CLIENT_MAC;
import static dev.algd.io.DataPlaneTest.CONFIG;
import static dev.algd.io.DataPlaneTest.INSIDE_ADDRESS;
import static dev.algd.io.DataPlaneTest.IN_MAC;
import static dev.algd.io.DataPlaneTest.MS;
import static dev.algd.io.DataPlaneTest.OUTSIDE_ADDRESS;
import static dev.algd.io.DataPlaneTest.OUT_MAC;
import static dev.algd.io.DataPlaneTest.SERVER;
import static dev.algd.io.DataPlaneTest.SERVER_MAC;
import static dev.algd.io.TestFrames.arp;
import static dev.algd.io.TestFrames.ethernet;
import static dev.algd.io.TestFrames.ipv4;
import static dev.algd.io.TestFrames.macAt;
import static dev.algd.io.TestFrames.u16;
import static dev.algd.io.TestFrames.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.session.Timeouts;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two workers' data planes over in-memory ports (each worker its own pair, as each has its own fanout member): the
 * test plays the kernel and decides which worker a frame reaches. Only worker 0 answers and announces; the other
 * learns neighbours from its copies; a reply that reached the wrong worker is handed to the flow's owner once.
 */
class MultiWorkerDataPlaneTest {

    private final FakePort[] in = {new FakePort("in0", IN_MAC), new FakePort("in0", IN_MAC)};
    private final FakePort[] out = {new FakePort("out0", OUT_MAC), new FakePort("out0", OUT_MAC)};
    private final WorkerLink[] links = WorkerLink.group(2);
    private final DataPlane[] workers = new DataPlane[2];
    private long now = 1_000 * MS;

    MultiWorkerDataPlaneTest() {
        for (int w = 0; w < 2; w++) {
            int worker = w;
            Engine engine = new Engine(EngineConfig.empty(), new EngineLimits(1024), Timeouts.defaults(), List.of(),
                    w, 2);
            workers[w] = new DataPlane(engine, device -> switch (device) {
                case "in0" -> in[worker];
                case "out0" -> out[worker];
                default -> throw new IOException("interface '" + device + "' does not exist");
            }, links[w]);
        }
    }

    @AfterEach
    void close() {
        for (DataPlane worker : workers) {
            worker.close();
        }
    }

    /** One turn of each worker, in order. */
    private void turn() {
        now += MS;
        for (DataPlane worker : workers) {
            worker.turn(now);
        }
    }

    private void apply() {
        for (DataPlane worker : workers) {
            worker.apply(CONFIG);
        }
    }

    private static byte[] tcp(long destinationMac, long sourceMac, int source, int sourcePort, int destination,
            int destinationPort, int flags) {
        return ethernet(destinationMac, sourceMac, Ethernet.TYPE_IPV4, ipv4(TestFrames.TCP, source, destination, 64,
                TestFrames.tcp(source, destination, sourcePort, destinationPort, flags, new byte[0], false)));
    }

    @Test
    void onlyWorkerZeroAnnouncesAndAnswersAndTheOtherLearnsFromItsCopies() {
        apply();
        assertEquals(1, in[0].takeSent().size(), "worker 0 announces");
        assertTrue(in[1].takeSent().isEmpty() && out[1].takeSent().isEmpty(), "worker 1 does not");
        out[0].takeSent();
        in[0].receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
        out[0].receive(ethernet(Ethernet.BROADCAST, SERVER_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, SERVER_MAC, SERVER, 0, OUTSIDE_ADDRESS)));
        turn();
        assertEquals(Arp.OPERATION_REPLY, u16(in[0].takeSent().getFirst(), 14 + 6));
        assertEquals(2, links[0].arpCopiesPosted);

        // Worker 1 forwards to both neighbours at once: it learnt them from the copies, so it sends no ARP.
        in[1].receive(tcp(IN_MAC, CLIENT_MAC, CLIENT, 40000, SERVER, 80, TestFrames.TCP_SYN));
        turn();
        List<byte[]> forwarded = out[1].takeSent();
        assertEquals(1, forwarded.size(), "the SYN, no ARP request");
        assertEquals(SERVER_MAC, macAt(forwarded.getFirst(), 0));
        assertTrue(in[1].takeSent().isEmpty(), "worker 1 never answers ARP");
        assertEquals(2, links[1].framesReceivedFromPeers);
    }

    @Test
    void aReplyOnTheWrongWorkerIsHandedOnceToTheWorkerThatOwnsItsFlow() {
        apply();
        // Where the kernel would have sent the reply had it been steered by algd's own address: the flow's owner.
        int owner = new Steering(CONFIG, 2).ownerOf(OUTSIDE_ADDRESS);
        int other = 1 - owner;
        in[0].receive(ethernet(Ethernet.BROADCAST, CLIENT_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, CLIENT_MAC, CLIENT, 0, INSIDE_ADDRESS)));
        out[0].receive(ethernet(Ethernet.BROADCAST, SERVER_MAC, Ethernet.TYPE_ARP,
                arp(Arp.OPERATION_REQUEST, SERVER_MAC, SERVER, 0, OUTSIDE_ADDRESS)));
        turn();
        for (int w = 0; w < 2; w++) {
            in[w].takeSent();
            out[w].takeSent();
        }
        in[owner].receive(tcp(IN_MAC, CLIENT_MAC, CLIENT, 40000, SERVER, 80, TestFrames.TCP_SYN));
        turn();
        byte[] syn = out[owner].takeSent().getFirst();
        int translatedPort = u16(syn, 14 + 20);

        out[other].receive(tcp(OUT_MAC, SERVER_MAC, SERVER, 80, OUTSIDE_ADDRESS, translatedPort,
                TestFrames.TCP_SYN | 0x10));
        turn();
        turn();   // the owner may have had its turn before the hand-off
        assertEquals(1, links[other].framesHandedOff);
        assertTrue(in[other].takeSent().isEmpty());
        List<byte[]> back = in[owner].takeSent();
        assertEquals(1, back.size(), "the owner forwards the handed-off reply");
        assertEquals(CLIENT, u32(back.getFirst(), 14 + 16));
        assertEquals(40000, u16(back.getFirst(), 14 + 22));

        // A frame nobody owns is handed off at most once: the owner drops it rather than handing it back.
        out[other].receive(tcp(OUT_MAC, SERVER_MAC, SERVER, 81, OUTSIDE_ADDRESS, 9, TestFrames.TCP_SYN | 0x10));
        turn();
        turn();
        assertEquals(2, links[other].framesHandedOff);
        assertEquals(0, links[owner].framesHandedOff);
        assertTrue(in[owner].takeSent().isEmpty() && out[owner].takeSent().isEmpty());
        assertEquals(1, workers[owner].counters().drops(FrameDropReason.ENGINE_VERDICT));
    }
}
