package dev.algd.engine.alg.tftp;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgDiagnostics;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Direction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TFTP ALG. A client's RRQ or WRQ travels on the control session (client to server port 69); the server answers
 * from a new port, its transfer identifier (RFC 1350 §4), to the client's address and port. So for each request the
 * ALG expects a UDP flow from the server's address, any source port, to the client's address and port as the server
 * sees them, with the translation that makes the reply look like the control session's reply:
 * <ul>
 *   <li>source NAT of the client (alg-behaviour.md §5 vector 9): the child's destination goes back to the client's
 *   own address and port, so the client's later packets to the new port leave with the control session's translated
 *   address and port;</li>
 *   <li>destination NAT of the server (vector 10): the child's source becomes the address the client sent to, with
 *   the server's new port kept.</li>
 * </ul>
 * The same over IPv6 through NAT66 (the tuple's addresses are carried in {@link dev.algd.engine.alg.AlgAddress} form).
 * The child is linked to the control session (the guide: "TFTP data sessions are automatically linked to the TFTP
 * control session"). Nothing is rewritten: options and the server's OACK (RFC 2347) pass untouched. A malformed
 * request or an unknown opcode is dropped, as Vyatta's {@code alg_tftp.c} treats opcodes other than 1..6 as invalid;
 * DATA, ACK, ERROR and OACK pass.
 */
public final class TftpAlg implements Alg {
    /**
     * One pending reply per control session: a retransmitted request refreshes it. Vyatta's default expectation
     * timeout of 10 s (alg-behaviour.md §4; netfilter waits 300 s).
     */
    static final AlgPolicy POLICY = new AlgPolicy(1, 10);
    private static final int PROTOCOL_UDP = 17;
    private static final TftpReason[] REASONS = TftpReason.values();

    private final TftpRequest request = new TftpRequest();
    private final long[] counters = new long[REASONS.length];

    public TftpAlg() {
    }

    @Override
    public AlgId id() {
        return AlgId.TFTP;
    }

    @Override
    public AlgPolicy policy() {
        return POLICY;
    }

    /** Addresses are only copied from the packet's tuple into the expectation, so both families work alike. */
    @Override
    public boolean supportsIpv6() {
        return true;
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        if (packet.protocol() != PROTOCOL_UDP || packet.direction() != Direction.ORIGINAL) {
            return AlgOutcome.PASS;
        }
        long from = packet.payloadOffset();
        TftpReason reason = TftpRequestParser.parse(packet.segment(), from, from + packet.payloadLength(), request);
        counters[reason.ordinal()]++;
        if (reason.isMalformed()) {
            packet.countParseError();
        }
        if (reason == TftpReason.NOT_A_REQUEST) {
            return AlgOutcome.PASS;
        }
        if (reason != TftpReason.OK) {
            return AlgOutcome.DROP;
        }
        expectReply(packet);
        return AlgOutcome.PASS;
    }

    /**
     * The server's reply: from the server's real address (where the request leaves to), any port, to the client as
     * the server sees it (where the request leaves from).
     */
    private static void expectReply(AlgPacket packet) {
        Expectation reply = packet.newExpectation()
                .fromAnyPort(packet.leavingDestinationHigh(), packet.leavingDestinationLow())
                .to(packet.leavingSourceHigh(), packet.leavingSourceLow(), packet.leavingSourcePort());
        if (packet.isSourceAddressTranslated() || packet.arrivedSourcePort() != packet.leavingSourcePort()) {
            reply.translateDestinationTo(packet.arrivedSourceHigh(), packet.arrivedSourceLow(),
                    packet.arrivedSourcePort());
        }
        if (packet.isDestinationAddressTranslated()) {
            reply.translateSourceTo(packet.arrivedDestinationHigh(), packet.arrivedDestinationLow(),
                    Expectation.KEEP_PORT);
        }
        packet.expect(reply);
    }

    /** How many requests and other messages the parser answered with {@code reason}, on this engine's worker. */
    public long count(TftpReason reason) {
        return counters[reason.ordinal()];
    }

    @Override
    public Map<String, Long> diagnostics() {
        Map<String, Long> counts = new LinkedHashMap<>();
        AlgDiagnostics.put(counts, "", REASONS, counters);
        return counts;
    }
}
