package dev.algd.engine.alg.rsh;

import static dev.algd.engine.testing.TestPackets.tcpPayload;
import static dev.algd.engine.testing.TestPackets.ACK;
import static dev.algd.engine.testing.TestPackets.PSH;
import static dev.algd.engine.testing.TestPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.algd.engine.Engine;
import dev.algd.engine.EngineLimits;
import dev.algd.engine.Packet;
import dev.algd.engine.Verdict;
import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.config.AlgSettings;
import dev.algd.engine.config.EngineConfig;
import dev.algd.engine.config.InterfaceConfig;
import dev.algd.engine.config.Ipv4Prefix;
import dev.algd.engine.packet.TcpHeader;
import dev.algd.engine.session.Direction;
import dev.algd.engine.session.Timeouts;
import dev.algd.engine.testing.ReferenceChecksum;
import dev.algd.engine.testing.TestPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link IdentRewriter} through the engine's rewriter, apart from RshAlg (whose IDENT child is tested in
 * RshAlgTest): a stand-in ALG (FTP's id, configured on tcp/113) calls it on an IDENT connection from 1.1.1.11 to
 * 2.2.2.11:113: the query's port-on-server 1000 (the client's translated control port) becomes 999
 * (its own), the reply's 999 becomes 1000 again; lengths change, so sequence numbers shift.
 */
class IdentRewriterTest {
    private static final int ROOM = 2048;
    private static final String QUERIER = "1.1.1.11";
    private static final String IDENT_SERVER = "2.2.2.11";

    private final IdentRewriter rewriter = new IdentRewriter();
    private final Packet packet = new Packet();
    private final Arena arena = Arena.ofAuto();
    private Engine engine;

    /** Stands in for RshAlg on its IDENT child. */
    private final class IdentChild implements Alg {
        @Override
        public AlgId id() {
            return AlgId.FTP;
        }

        @Override
        public AlgPolicy policy() {
            return new AlgPolicy(1, 10);
        }

        @Override
        public AlgOutcome inspect(AlgPacket p) {
            if (p.direction() == Direction.ORIGINAL) {
                rewriter.rewrite(p, 1000, 999, 514, 514);
            } else {
                rewriter.rewrite(p, 999, 1000, 514, 514);
            }
            return AlgOutcome.PASS;
        }
    }

    private void start() {
        EngineConfig config = new EngineConfig(Map.of(AlgId.FTP, new AlgSettings(AlgId.FTP, true, List.of(113),
                List.of())), List.of(
                new InterfaceConfig("inside", "eth0", List.of(Ipv4Prefix.parse("1.1.1.254/24"))),
                new InterfaceConfig("outside", "eth1", List.of(Ipv4Prefix.parse("2.2.2.1/24")))),
                List.of(), List.of(), List.of(), Map.of(), List.of());
        engine = new Engine(config, new EngineLimits(64), Timeouts.defaults(), List.of(new IdentChild()));
        send(TestPackets.tcp().from(QUERIER, 1021).to(IDENT_SERVER, 113).seq(99).flags(SYN), 0);
        send(TestPackets.tcp().from(IDENT_SERVER, 113).to(QUERIER, 1021).seq(499).ack(100).flags(SYN | ACK), 1);
    }

    private MemorySegment send(TestPackets builder, int ingress) {
        MemorySegment buffer = arena.allocate(ROOM);
        packet.segment = buffer;
        packet.offset = 0;
        packet.length = builder.writeInto(buffer, 0);
        packet.capacity = ROOM;
        packet.ingressInterface = ingress;
        assertEquals(Verdict.FORWARD, engine.process(packet, 1_000_000_000_000L));
        return buffer;
    }

    private MemorySegment query(long seq, String text) {
        return send(TestPackets.tcp().from(QUERIER, 1021).to(IDENT_SERVER, 113).seq(seq).ack(500).flags(ACK | PSH)
                .payload(text), 0);
    }

    private MemorySegment reply(long seq, long ack, String text) {
        return send(TestPackets.tcp().from(IDENT_SERVER, 113).to(QUERIER, 1021).seq(seq).ack(ack).flags(ACK | PSH)
                .payload(text), 1);
    }

    @Test
    void queryNamesTheOwnPortAndTheReplyTheTranslatedOne() {
        start();
        MemorySegment query = query(100, "1000 , 514\r\n");
        assertEquals("999 , 514\r\n", tcpPayload(query));
        assertTrue(ReferenceChecksum.areAllChecksumsValid(query, 0));

        MemorySegment reply = reply(500, 111, "999 , 514 : USERID : UNIX : alice\r\n");
        assertEquals("1000 , 514 : USERID : UNIX : alice\r\n", tcpPayload(reply));
        assertEquals(112, new TcpHeader().wrap(reply, 20).acknowledgmentNumber(), "the query was one byte shorter");
        assertTrue(ReferenceChecksum.areAllChecksumsValid(reply, 0));
        assertEquals(2, rewriter.count(IdentReason.OK));
    }

    @Test
    void otherPortsAndMalformedLinesPassUntouched() {
        start();
        assertEquals("2000 , 514\r\n", tcpPayload(query(100, "2000 , 514\r\n")));
        assertEquals("1000 514\r\n", tcpPayload(query(112, "1000 514\r\n")));
        assertEquals(1, rewriter.count(IdentReason.COMMA_MISSING));
    }

    @Test
    void splitQueryIsRewrittenWhole() {
        start();
        assertEquals("", tcpPayload(query(100, "10")));
        assertEquals("999 , 514\r\n", tcpPayload(query(102, "00 , 514\r\n")));
    }
}
