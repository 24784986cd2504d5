package dev.algd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.SessionFilter;
import dev.algd.engine.SessionView;
import dev.algd.engine.Verdict;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.alg.ftp.FtpAlg;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.config.StaticRoute;
import dev.algd.engine.session.SessionTable;
import dev.algd.engine.session.Timeouts;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * W engines behind the fanout program, as the kernel runs it (the program interpreted by {@link ClassicBpf} over
 * each packet): every packet of a flow, its replies, ICMP errors about it and its FTP children through source NAT
 * reach the engine that owns the flow, and a child whose external address steers elsewhere is expected there.
 * <pre>
 *  192.0.2.10 -- inside 192.0.2.1/24 [W engines] outside 198.51.100.1/24 -- 198.51.100.254 -- 203.0.113.0/24 servers
 * </pre>
 */
class MultiWorkerSteeringTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final int CLIENT = TestFrames.ip("192.0.2.10");
    private static final int PUBLIC = TestFrames.ip("198.51.100.1");
    private static final int ROUTER = TestFrames.ip("198.51.100.254");
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int RST = 0x04;
    private static final long SECOND = 1_000_000_000L;

    private final EngineConfig config = new EngineConfig(java.util.Map.of(), List.of(
            new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("192.0.2.1/24"))),
            new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("198.51.100.1/24")))),
            List.of(new StaticRoute(Ipv4Prefix.parse("0.0.0.0/0"), ROUTER)),
            List.of(new SourceNatRule(1, "masquerade", false, "outside", SourceNatRule.ANY_PROTOCOL,
                    AddressRange.parse("192.0.2.0/24"), null, null, null, false, null, null)));

    private int workers;
    private Engine[] engines;
    private WorkerLink[] links;
    private Steering steering;
    private final Packet packet = new Packet();
    private final long now = 1_000 * SECOND;
    /** The engine the last {@link #deliver} reached, and its rewritten packet. */
    private int lastOwner;
    private byte[] lastOut;

    MultiWorkerSteeringTest() {
        workers(2);
    }

    /** Rebuilds the engines: {@code workers} of them, each linked to the others. */
    private void workers(int workers) {
        this.workers = workers;
        engines = new Engine[workers];
        links = WorkerLink.group(workers);
        steering = new Steering(config, workers);
        for (int i = 0; i < workers; i++) {
            engines[i] = new Engine(config, new EngineLimits(1024), Timeouts.defaults(), List.of(new FtpAlg(), new MediaAlg()), i,
                    workers);
            links[i].engine(engines[i]);
            links[i].steering(steering);
        }
    }

    /** The kernel's choice for an IPv4 packet received on {@code ingress}: the program, modulo the members. */
    private int kernelSteers(byte[] ip, int ingress) {
        int value = ClassicBpf.run(Steering.program(steering.isOutside(ingress)), ip, 0x0800);
        return Integer.remainderUnsigned(value, workers);
    }

    /** Steers {@code ip} as the kernel would, then runs it on that worker as DataPlane does (control rings first). */
    private Verdict deliver(byte[] ip, int ingress) {
        lastOwner = kernelSteers(ip, ingress);
        links[lastOwner].drainControl(now);
        byte[] buffer = java.util.Arrays.copyOf(ip, ip.length + 256);
        packet.segment = MemorySegment.ofArray(buffer);
        packet.offset = 0;
        packet.length = ip.length;
        packet.capacity = buffer.length;
        packet.ingressInterface = ingress;
        packet.segmentLength = 0;
        Verdict verdict = engines[lastOwner].process(packet, now);
        lastOut = java.util.Arrays.copyOf(buffer, packet.length);
        return verdict;
    }

    private static byte[] tcp(int source, int sourcePort, int destination, int destinationPort, int flags, int seq,
            int ack, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(20 + data.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putInt(seq).putInt(ack);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
        b.put(data);
        byte[] segment = b.array();
        int checksum = TestFrames.checksum(segment, 0, segment.length,
                TestFrames.pseudoHeader(source, destination, TestFrames.TCP, segment.length));
        segment[16] = (byte) (checksum >>> 8);
        segment[17] = (byte) checksum;
        return TestFrames.ipv4(TestFrames.TCP, source, destination, 64, segment);
    }

    private static int sourcePort(byte[] ip) {
        return TestFrames.u16(ip, 20);
    }

    private static String payload(byte[] ip) {
        return new String(ip, 40, ip.length - 40, StandardCharsets.US_ASCII);
    }

    /** Two server addresses whose flows different workers own. */
    private int[] serversOnDifferentWorkers() {
        int first = TestFrames.ip("203.0.113.10");
        for (int last = 11; last < 255; last++) {
            int other = TestFrames.ip("203.0.113." + last);
            if (steering.ownerOf(other) != steering.ownerOf(first)) {
                return new int[] {first, other};
            }
        }
        throw new AssertionError("every address hashes to one worker");
    }

    /** An FTP control connection from CLIENT:clientPort to server:21, set up; returns its translated port. */
    private int openControl(int server, int clientPort, int owner) {
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, clientPort, server, 21, SYN, 100, 0, ""), INSIDE));
        assertEquals(owner, lastOwner);
        int translatedPort = sourcePort(lastOut);
        assertEquals(Verdict.FORWARD, deliver(tcp(server, 21, PUBLIC, translatedPort, SYN | ACK, 500, 101, ""),
                OUTSIDE));
        assertEquals(owner, lastOwner, "the reply reaches the worker of the original direction");
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, clientPort, server, 21, ACK, 101, 501, ""), INSIDE));
        return translatedPort;
    }

    private SessionView session(int worker, int sourcePort, int destinationPort) {
        for (SessionView s : engines[worker].sessions(now)) {
            if (s.sourcePort() == sourcePort && s.destinationPort() == destinationPort) {
                return s;
            }
        }
        return null;
    }

    @Test
    void programComputesTheSameOwnerAsTheJavaHashForBothRoles() {
        Random random = new Random(6);
        for (int n = 0; n < 2_000; n++) {
            int a = random.nextInt();
            int b = random.nextInt();
            byte[] ip = TestFrames.ipv4(TestFrames.UDP, a, b, 64, new byte[8]);
            for (int w = 1; w <= 5; w++) {
                assertEquals(Integer.remainderUnsigned(Steering.hash(b), w),
                        Integer.remainderUnsigned(ClassicBpf.run(Steering.program(false), ip, 0x0800), w));
                assertEquals(Integer.remainderUnsigned(Steering.hash(a), w),
                        Integer.remainderUnsigned(ClassicBpf.run(Steering.program(true), ip, 0x0800), w));
            }
        }
        assertEquals(0, ClassicBpf.run(Steering.program(true), new byte[28], 0x0806), "ARP goes to worker 0");
        assertEquals(0, ClassicBpf.run(Steering.program(false), new byte[60], 0x86dd), "IPv6 goes to worker 0");
    }

    @Test
    void everyFlowAndItsRepliesAndIcmpErrorsReachOneWorkerAndFlowsSpreadOverAll() {
        MultiWorkerSteeringTest t = this;
        workers(3);
        boolean[] used = new boolean[3];
        for (int n = 0; n < 60; n++) {
            int server = TestFrames.ip("203.0.113." + (n + 1));
            int clientPort = 20_000 + n;
            assertEquals(Verdict.FORWARD, t.deliver(tcp(CLIENT, clientPort, server, 80, SYN, 1, 0, ""), INSIDE));
            int owner = t.lastOwner;
            used[owner] = true;
            byte[] sent = t.lastOut;
            int translatedPort = sourcePort(sent);
            assertEquals(Verdict.FORWARD, t.deliver(tcp(server, 80, PUBLIC, translatedPort, SYN | ACK, 9, 2, ""),
                    OUTSIDE));
            assertEquals(owner, t.lastOwner);
            // A router on the way answers the translated packet with time exceeded: steered by what it quotes.
            byte[] quoted = java.util.Arrays.copyOf(sent, 28);
            byte[] icmp = ByteBuffer.allocate(8 + quoted.length).put((byte) 11).put((byte) 0).putShort((short) 0)
                    .putInt(0).put(quoted).array();
            int checksum = TestFrames.checksum(icmp, 0, icmp.length, 0);
            icmp[2] = (byte) (checksum >>> 8);
            icmp[3] = (byte) checksum;
            assertEquals(Verdict.FORWARD, t.deliver(TestFrames.ipv4(TestFrames.ICMP, ROUTER, PUBLIC, 64, icmp),
                    OUTSIDE));
            assertEquals(owner, t.lastOwner, "the ICMP error reaches the flow's worker, which translates it back");
            assertEquals(CLIENT, TestFrames.u32(t.lastOut, 16));
        }
        for (int w = 0; w < 3; w++) {
            assertTrue(used[w], "worker " + w + " owns none of 60 flows");
        }
    }

    @Test
    void passiveFtpChildReachesTheControlWorkerWithItsParentId() {
        int server = TestFrames.ip("203.0.113.10");
        int owner = steering.ownerOf(server);
        int translated = openControl(server, 40_000, owner);
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_000, server, 21, ACK | PSH, 101, 501, "PASV\r\n"),
                INSIDE));
        String reply = "227 Entering Passive Mode (203,0,113,10,19,137)\r\n";
        assertEquals(Verdict.FORWARD, deliver(tcp(server, 21, PUBLIC, translated, ACK | PSH, 501, 107, reply),
                OUTSIDE));
        assertEquals(owner, lastOwner);
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_001, server, 5001, SYN, 7, 0, ""), INSIDE));
        assertEquals(owner, lastOwner);
        int dataPort = sourcePort(lastOut);
        assertEquals(Verdict.FORWARD, deliver(tcp(server, 5001, PUBLIC, dataPort, SYN | ACK, 70, 8, ""), OUTSIDE));
        assertEquals(owner, lastOwner);
        SessionView control = session(owner, 40_000, 21);
        SessionView child = session(owner, 40_001, 5001);
        assertNotNull(child);
        assertEquals(control.id(), child.parentId());
        assertEquals(owner, SessionTable.workerOf(child.id()));
        assertEquals(0, links[owner].expectationsPosted, "a child on its parent's worker needs no message");
    }

    @Test
    void activeFtpChildThroughSourceNatReachesTheControlWorker() {
        int server = TestFrames.ip("203.0.113.10");
        int owner = steering.ownerOf(server);
        int translated = openControl(server, 40_000, owner);
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_000, server, 21, ACK | PSH, 101, 501,
                "PORT 192,0,2,10,156,65\r\n"), INSIDE));
        Matcher m = Pattern.compile("PORT 198,51,100,1,(\\d+),(\\d+)").matcher(payload(lastOut));
        assertTrue(m.find(), "the PORT command names the translated address: " + payload(lastOut));
        int dataPort = Integer.parseInt(m.group(1)) * 256 + Integer.parseInt(m.group(2));
        assertEquals(Verdict.FORWARD, deliver(tcp(server, 20, PUBLIC, dataPort, SYN, 900, 0, ""), OUTSIDE));
        assertEquals(owner, lastOwner, "the server's connection back reaches the control's worker");
        assertEquals(CLIENT, TestFrames.u32(lastOut, 16));
        assertEquals(40_001, TestFrames.u16(lastOut, 22));
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_001, server, 20, SYN | ACK, 50, 901, ""), INSIDE));
        assertEquals(owner, lastOwner, "the client's side of the child, steered by the server, too");
        SessionView child = session(owner, 20, dataPort);
        assertNotNull(child, "child session on the owner: " + engines[owner].sessions(now));
        assertEquals(session(owner, 40_000, 21).id(), child.parentId());
    }

    @Test
    void childWhoseAddressSteersElsewhereIsPostedToThatWorkerAndGoesWithItsParent() {
        // FTP children always have the server's address (FtpAlg refuses a 227 naming another host), so they never
        // cross workers; a signalling ALG whose media endpoint is another host's does: MediaAlg stands for one.
        int[] servers = serversOnDifferentWorkers();
        int owner = steering.ownerOf(servers[0]);
        int other = steering.ownerOf(servers[1]);
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_000, servers[0], MediaAlg.PORT, SYN, 100, 0, ""),
                INSIDE));
        int translated = sourcePort(lastOut);
        deliver(tcp(servers[0], MediaAlg.PORT, PUBLIC, translated, SYN | ACK, 500, 101, ""), OUTSIDE);
        deliver(tcp(servers[0], MediaAlg.PORT, PUBLIC, translated, ACK | PSH, 501, 101,
                MediaAlg.line(servers[1], 5001)), OUTSIDE);
        assertEquals(owner, lastOwner);
        assertEquals(1, links[owner].expectationsPosted);
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_001, servers[1], 5001, SYN, 7, 0, ""), INSIDE));
        assertEquals(other, lastOwner);
        assertEquals(1, links[other].expectationsReceived);
        SessionView child = session(other, 40_001, 5001);
        long parentId = session(owner, 40_000, MediaAlg.PORT).id();
        assertEquals(parentId, child.parentId(), "the child on the other worker names its parent there");
        assertEquals(owner, SessionTable.workerOf(child.parentId()));
        assertEquals(other, SessionTable.workerOf(child.id()), "ids name their worker");

        // Another media line, then the signalling session is cleared before its child comes: the expectation on
        // the other worker goes with it.
        deliver(tcp(servers[0], MediaAlg.PORT, PUBLIC, translated, ACK | PSH, 600, 101,
                MediaAlg.line(servers[1], 5002)), OUTSIDE);
        assertEquals(2, links[owner].expectationsPosted);
        assertEquals(1, engines[owner].clearSessions(new SessionFilter(parentId, null, null, null, null), now));
        assertEquals(1, links[owner].parentEndsPosted);
        assertEquals(Verdict.FORWARD, deliver(tcp(CLIENT, 40_002, servers[1], 5002, SYN, 7, 0, ""), INSIDE));
        assertEquals(other, lastOwner);
        assertEquals(0, session(other, 40_002, 5002).parentId(), "no child of a parent that ended");
    }

    @Test
    void expectationFromAnyAddressGoesToEveryWorker() {
        Expectation fromAnywhere = new Expectation().clear().protocol(17).fromAnywhere().to(PUBLIC, 5060);
        assertEquals(Steering.EVERY_WORKER, steering.ownerOfExpectation(fromAnywhere));
        Expectation known = new Expectation().clear().protocol(17).fromAnyPort(TestFrames.ip("203.0.113.9"))
                .to(PUBLIC, 5060);
        assertEquals(steering.ownerOf(TestFrames.ip("203.0.113.9")), steering.ownerOfExpectation(known),
                "a child arriving outside is steered by its source");
    }
}
