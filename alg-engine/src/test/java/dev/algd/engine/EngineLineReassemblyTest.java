package dev.algd.engine;

import static dev.algd.engine.testing.TestPackets.tcpPayload;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.FIN;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.RST;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.alg.AlgEvent;
import dev.algd.engine.alg.HoldReason;
import dev.algd.engine.alg.HoldingPortLineAlg;
import dev.algd.engine.alg.LineReassembly;
import dev.algd.engine.config.AddressRange;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.config.SourceNatRule;
import dev.algd.engine.packet.Ipv4Header;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Control-line reassembly ({@link LineReassembly}) through the engine, with alg-behaviour.md §5 vector 5's FTP client
 * 1.1.1.11:46682 and server 2.2.2.11:21, SNAT to 2.2.2.200 (so {@code PORT 1,1,1,11,38,91} grows by one byte), and a
 * test ALG that rewrites complete PORT lines and holds back an unfinished one. The server's side is a receiver that
 * rebuilds the stream from sequence numbers and answers what it has; each test compares that stream with the
 * rewritten one.
 */
class EngineLineReassemblyTest {
    private static final int INSIDE = 0;
    private static final int OUTSIDE = 1;
    private static final String CLIENT = "1.1.1.11";
    private static final String SERVER = "2.2.2.11";
    private static final String TRANSLATION = "2.2.2.200";
    private static final int CLIENT_PORT = 46682;
    private static final int FIRST = 1000;
    private static final int ROOM = 2048;

    private final HoldingPortLineAlg alg = new HoldingPortLineAlg();
    private final Arena arena = Arena.ofAuto();
    private final Receiver server = new Receiver();
    private EngineHarness h;

    /** Rebuilds the client's stream as the server sees it, by sequence number. */
    private static final class Receiver {
        private final byte[] stream = new byte[8192];
        private final boolean[] present = new boolean[8192];

        void receive(MemorySegment packet) {
            Ipv4Header ip = new Ipv4Header().wrap(packet, 0);
            TcpHeader tcp = new TcpHeader().wrap(packet, 20);
            int from = 20 + tcp.headerLength();
            int position = (int) (tcp.sequenceNumber() - FIRST);
            for (int i = from; i < ip.totalLength(); i++, position++) {
                byte b = packet.get(ValueLayout.JAVA_BYTE, i);
                if (present[position]) {
                    assertEquals(stream[position], b, "a retransmission carries the same byte at " + position);
                }
                stream[position] = b;
                present[position] = true;
            }
        }

        /** The contiguous bytes from the first sequence number: what the server's TCP delivers. */
        String delivered() {
            int n = 0;
            while (present[n]) {
                n++;
            }
            return new String(stream, 0, n, StandardCharsets.US_ASCII);
        }

        long nextExpected() {
            return FIRST + delivered().length();
        }
    }

    private void setUp() {
        EngineConfig config = new EngineConfig(Map.of(), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(new SourceNatRule(10, "", false, "outside", SourceNatRule.ANY_PROTOCOL, null, null,
                        null, null, false, AddressRange.parse(TRANSLATION), null)));
        h = new EngineHarness(config, 64).withEngine(new Engine(config, new EngineLimits(64), Timeouts.defaults(),
                List.of(alg)));
        send(TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(SERVER, 21).seq(FIRST - 1).flags(SYN), INSIDE);
        send(TestPackets.tcp().from(SERVER, 21).to(TRANSLATION, CLIENT_PORT).seq(4999).ack(FIRST).flags(SYN | ACK),
                OUTSIDE);
    }

    private MemorySegment send(TestPackets packet, int ingress) {
        MemorySegment buffer = arena.allocate(ROOM);
        int length = packet.writeInto(buffer, 0);
        assertEquals(Verdict.FORWARD, h.send(buffer, 0, length, ROOM, ingress));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(buffer, 0));
        return buffer;
    }

    /** The client sends {@code payload} at {@code seq}; the server receives what algd forwards. */
    private MemorySegment client(long seq, String payload, int flags) {
        MemorySegment forwarded = send(TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(SERVER, 21).seq(seq).ack(5000)
                .flags(flags).payload(payload), INSIDE);
        server.receive(forwarded);
        return forwarded;
    }

    private MemorySegment client(long seq, String payload) {
        return client(seq, payload, ACK | PSH);
    }

    /** The server acknowledges all it has; returns the acknowledgement number the client gets. */
    private long serverAcknowledges() {
        MemorySegment ack = send(TestPackets.tcp().from(SERVER, 21).to(TRANSLATION, CLIENT_PORT).seq(5000)
                .ack(server.nextExpected()).flags(ACK), OUTSIDE);
        return new TcpHeader().wrap(ack, 20).acknowledgmentNumber();
    }

    private long count(AlgEvent event) {
        return h.engine.algCounters().count(event);
    }

    @Test
    void portCommandSplitAcrossSegmentsIsRewrittenOnce() {
        setUp();
        String first = "USER anonymous\r\nPORT 1,1,1,";
        MemorySegment head = client(FIRST, first);

        assertEquals("USER anonymous\r\n", tcpPayload(head), "the unfinished line is held back");
        assertEquals(HoldReason.OK, alg.lastHold);
        assertEquals(FIRST + 16, serverAcknowledges(), "the client's held bytes are not acknowledged for it");

        MemorySegment rest = client(FIRST + first.length(), "11,38,91\r\nLIST\r\n");
        assertEquals("PORT 2,2,2,200,38,91\r\nLIST\r\n", tcpPayload(rest));
        assertEquals(FIRST + 16, new TcpHeader().wrap(rest, 20).sequenceNumber(), "it starts where the line starts");
        assertEquals(1, alg.linesRewritten);
        assertEquals("USER anonymous\r\nPORT 2,2,2,200,38,91\r\nLIST\r\n", server.delivered());

        String all = "USER anonymous\r\nPORT 1,1,1,11,38,91\r\nLIST\r\n";
        assertEquals(FIRST + all.length(), serverAcknowledges(), "acknowledged in the client's own numbering");
        client(FIRST + all.length(), "QUIT\r\n");
        assertEquals("USER anonymous\r\nPORT 2,2,2,200,38,91\r\nLIST\r\nQUIT\r\n", server.delivered(),
                "later segments are shifted by the rewrite");
        assertEquals(1, count(AlgEvent.LINE_HELD));
        assertEquals(1, count(AlgEvent.HELD_LINE_PREPENDED));
        assertEquals(0, h.engine.reassemblyHeldLines());
    }

    @Test
    void lineSplitOverThreeSegmentsIsHeldUntilItIsWhole() {
        setUp();
        client(FIRST, "PORT 1,1");
        client(FIRST + 8, ",1,11,3");
        MemorySegment last = client(FIRST + 15, "8,91\r\n");

        assertEquals("PORT 2,2,2,200,38,91\r\n", tcpPayload(last));
        assertEquals(FIRST, new TcpHeader().wrap(last, 20).sequenceNumber());
        assertEquals("PORT 2,2,2,200,38,91\r\n", server.delivered());
        assertEquals(1, alg.linesRewritten);
    }

    @Test
    void severalLinesInOneSegmentAreAllRewritten() {
        setUp();
        String lines = "PORT 1,1,1,11,38,91\r\nNOOP\r\nPORT 1,1,1,11,38,92\r\n";
        MemorySegment packet = client(FIRST, lines);

        assertEquals("PORT 2,2,2,200,38,91\r\nNOOP\r\nPORT 2,2,2,200,38,92\r\n", tcpPayload(packet));
        assertEquals(2, alg.linesRewritten);
        assertEquals(0, count(AlgEvent.LINE_HELD));
        client(FIRST + lines.length(), "LIST\r\n");
        assertEquals("PORT 2,2,2,200,38,91\r\nNOOP\r\nPORT 2,2,2,200,38,92\r\nLIST\r\n", server.delivered());
        assertEquals(FIRST + lines.length() + 6, serverAcknowledges());
    }

    @Test
    void rewrittenLineFollowedBySplitLineKeepsBothShifts() {
        setUp();
        String first = "PORT 1,1,1,11,38,91\r\nPORT 1,1,";
        MemorySegment head = client(FIRST, first);
        assertEquals("PORT 2,2,2,200,38,91\r\n", tcpPayload(head), "the complete line grows by one, the rest is held");

        MemorySegment rest = client(FIRST + first.length(), "1,11,38,92\r\n");
        assertEquals(FIRST + 22, new TcpHeader().wrap(rest, 20).sequenceNumber(), "after the grown first line");
        client(FIRST + first.length() + 12, "LIST\r\n");
        assertEquals("PORT 2,2,2,200,38,91\r\nPORT 2,2,2,200,38,92\r\nLIST\r\n", server.delivered());
        assertEquals(2, alg.linesRewritten);
        assertEquals(FIRST + first.length() + 12 + 6, serverAcknowledges(), "two bytes taken back off the ack");
    }

    @Test
    void dataOverTheBoundPassesThroughUnparsed() {
        setUp();
        String longLine = "X".repeat(LineReassembly.MAX_HELD_BYTES + 1);
        MemorySegment packet = client(FIRST, longLine);

        assertEquals(longLine, tcpPayload(packet));
        assertEquals(HoldReason.OVER_BOUND, alg.lastHold);
        assertEquals(1, count(AlgEvent.LINE_PASSED_UNPARSED));
        client(FIRST + longLine.length(), "\r\nPORT 1,1,1,11,38,91\r\n");
        assertEquals(longLine + "\r\nPORT 2,2,2,200,38,91\r\n", server.delivered());

        String exactlyTheBound = "Y".repeat(LineReassembly.MAX_HELD_BYTES);
        int at = FIRST + longLine.length() + 23;
        assertEquals("", tcpPayload(client(at, exactlyTheBound)), "512 bytes are still held");
        client(at + exactlyTheBound.length(), "\r\n");
        assertTrue(server.delivered().endsWith(exactlyTheBound + "\r\n"));
    }

    @Test
    void retransmissionThatCarriesTheHeldBytesReplacesTheHeldCopy() {
        setUp();
        client(FIRST, "NOOP\r\nPORT 1,1,1,");
        // The sender retransmits from the start, now with the whole line (a retransmission may be coalesced).
        MemorySegment again = client(FIRST, "NOOP\r\nPORT 1,1,1,11,38,91\r\n");

        assertEquals("NOOP\r\nPORT 2,2,2,200,38,91\r\n", tcpPayload(again));
        assertEquals(1, count(AlgEvent.HELD_LINE_RESENT));
        assertEquals("NOOP\r\nPORT 2,2,2,200,38,91\r\n", server.delivered());
        assertEquals(0, h.engine.reassemblyHeldLines());
    }

    @Test
    void heldBytesResentAloneArePassedUnparsedSoANagleSenderIsNotStalled() {
        setUp();
        client(FIRST, "NOOP\r\nPORT 1,1,1,");
        assertEquals(FIRST + 6, serverAcknowledges());
        // Nagle: the sender waits for "PORT 1,1,1," to be acknowledged and resends it after its timeout.
        MemorySegment resent = client(FIRST + 6, "PORT 1,1,1,");

        assertEquals("PORT 1,1,1,", tcpPayload(resent));
        assertEquals(HoldReason.RESENT, alg.lastHold);
        assertEquals(FIRST + 17, serverAcknowledges());
        client(FIRST + 17, "11,38,91\r\n");
        assertEquals("NOOP\r\nPORT 1,1,1,11,38,91\r\n", server.delivered(), "unparsed, but nothing lost");
    }

    @Test
    void finAfterHeldBytesCarriesThemOut() {
        setUp();
        client(FIRST, "PORT 1,1,1,");
        MemorySegment fin = client(FIRST + 11, "", FIN | ACK);

        assertEquals("PORT 1,1,1,", tcpPayload(fin));
        assertEquals(FIRST, new TcpHeader().wrap(fin, 20).sequenceNumber());
        assertEquals(HoldReason.STREAM_ENDS, alg.lastHold);
        assertEquals("PORT 1,1,1,", server.delivered());
    }

    @Test
    void segmentBeyondTheHeldBytesIsDroppedAndSentAgainByTheSender() {
        setUp();
        client(FIRST, "PORT 1,1,1,");
        // "LIST" overtook the rest of the line; forwarded now, it would sit where the grown line's last byte goes.
        MemorySegment overtaking = arena.allocate(ROOM);
        int length = TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(SERVER, 21).seq(FIRST + 21).ack(5000)
                .flags(ACK | PSH).payload("LIST\r\n").writeInto(overtaking, 0);
        assertEquals(Verdict.DROP, h.send(overtaking, 0, length, ROOM, INSIDE));
        assertEquals(1, count(AlgEvent.SEGMENT_AFTER_GAP));

        client(FIRST + 11, "11,38,91\r\n");
        client(FIRST + 21, "LIST\r\n");
        assertEquals("PORT 2,2,2,200,38,91\r\nLIST\r\n", server.delivered());
        assertEquals(1, alg.linesRewritten);
    }

    @Test
    void segmentWithoutRoomForTheHeldBytesIsDroppedAndTheLinePassesUnparsedWhenResent() {
        setUp();
        client(FIRST, "PORT 1,1,1,");
        MemorySegment tight = TestPackets.tcp().from(CLIENT, CLIENT_PORT).to(SERVER, 21).seq(FIRST + 11).ack(5000)
                .flags(ACK | PSH).payload("11,38,91\r\n").build();
        assertEquals(Verdict.DROP, h.send(tight, INSIDE), "capacity 0: it cannot grow");
        assertEquals(1, count(AlgEvent.HELD_LINE_NO_ROOM));
        assertEquals(0, h.engine.reassemblyHeldLines());

        assertEquals(FIRST, serverAcknowledges(), "the receiver still waits for the held bytes");
        client(FIRST, "PORT 1,1,1,");
        assertEquals(HoldReason.RESENT, alg.lastHold);
        client(FIRST + 11, "11,38,91\r\n");
        assertEquals("PORT 1,1,1,11,38,91\r\n", server.delivered(), "unparsed, but whole and in order");
    }

    @Test
    void resetAndSessionEndGiveTheBufferBack() {
        setUp();
        client(FIRST, "PORT 1,1,1,");
        assertEquals(1, h.engine.reassemblyHeldLines());
        send(TestPackets.tcp().from(SERVER, 21).to(TRANSLATION, CLIENT_PORT).seq(5000).ack(FIRST).flags(RST | ACK),
                OUTSIDE);
        assertEquals(0, h.engine.reassemblyHeldLines());
        assertEquals(1, count(AlgEvent.HELD_LINE_DISCARDED));
    }

    @Test
    void acknowledgementPastTheHeldBytesDropsTheCopy() {
        setUp();
        client(FIRST, "PORT 1,1,1,");
        // The held bytes reached the server another way (a segment algd did not see as the continuation).
        send(TestPackets.tcp().from(SERVER, 21).to(TRANSLATION, CLIENT_PORT).seq(5000).ack(FIRST + 21).flags(ACK),
                OUTSIDE);
        assertEquals(0, h.engine.reassemblyHeldLines());
        assertEquals(1, count(AlgEvent.HELD_LINE_ACKNOWLEDGED));
    }
}
