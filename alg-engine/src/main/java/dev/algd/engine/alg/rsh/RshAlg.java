package dev.algd.engine.alg.rsh;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.alg.ExpectationReason;
import dev.algd.engine.alg.HoldReason;
import dev.algd.engine.alg.RewriteReason;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Direction;
import java.lang.foreign.MemorySegment;

/**
 * The RSH ALG (the guide, "RSH"; alg-behaviour.md §4). The first bytes a client sends on its control connection to
 * tcp/514 are the port of its stderr channel, ASCII decimal and NUL ({@link RshStderrPortParser}); the server then
 * connects from a reserved port of its own to that port of the client. So, for the first string of each session:
 * <ul>
 *   <li>a stderr port P: the server's connection is expected from the server's address (any source port) to the
 *   client as the server sees it. Behind source NAT that is the client's translated address and a port, sent on
 *   to the client's own address and port P; the port is P when no other control session expects it, else the next
 *   free one in P's class (reserved 512..1023, as {@code rshd} refuses an unreserved stderr port, or 1024..65535),
 *   and the string is rewritten through the rewriter (its length may change: the framework shifts sequence
 *   numbers). Behind destination NAT (the server inside) the connection leaves with the address the client
 *   connected to as its source.</li>
 *   <li>{@code ""} or {@code "0"}: no stderr channel, nothing expected for it.</li>
 *   <li>Either way the server may ask the client's IDENT server (RFC 1413, tcp/113) who the user is: that
 *   connection is expected too, from the server's address to the client as the server sees it, port 113, sent on
 *   to the client's port 113. That child is inspected too ({@link Expectation#inspectChild()}): its query names the
 *   control connection's ports as the server sees them, which the client's IDENT server knows only as its own, so
 *   they are translated there and back in the reply ({@link IdentRewriter}), from the ports remembered for the
 *   control session.</li>
 * </ul>
 * Both children are linked to the control session, one-shot, and wait {@link #POLICY}'s timeout. A malformed
 * first string is dropped (AlgOutcome: malformed messages are refused); an unfinished one is held back by the
 * framework ({@link AlgPacket#holdFrom}) and seen whole in front of the next segment.
 * <p>
 * Only the first string of a session is inspected: the rest of the client's stream ({@code locuser}, {@code
 * remuser}, the command, then standard input) and all the server's output pass untouched. The session's words of
 * ALG state ({@link AlgPacket#state}) say it was decided, once its first string was parsed whole (or could not be
 * held), not after a drop, so a retransmitted malformed string is dropped again.
 * <p>
 * A client resending a first string whose port was moved (the segment lost after algd) has it rewritten again:
 * the ALG remembers the port asked for and the port given, and rewrites a later segment that is exactly that string
 * (netkit rsh sends nothing else until the server has connected to its stderr port).
 * <p>
 * Known limits: the port cannot be reserved from the source NAT rule's range (the same gap as FtpAlg's); a segment
 * of standard input that is exactly the moved string would be rewritten too.
 */
public final class RshAlg implements Alg {
    /** Two pending children per control session (stderr and IDENT), Vyatta's default expectation timeout of 10 s. */
    static final AlgPolicy POLICY = new AlgPolicy(2, 10);
    /** How many ports above P a moved stderr port may take when another control session expects P. */
    static final int MAX_PORT_TRIES = 16;
    /**
     * The framework's per-session words ({@link AlgPacket#state}). DECISION: zero until the first string is decided,
     * then {@link #DECIDED} with, for a moved stderr port, the port asked for (bits 16..31) and the port given (0..15).
     * PORTS: the control connection's client port as it is and as the server sees it, the server's port as the client
     * sees it and as it is (16 bits each, high to low), for the IDENT child.
     */
    private static final int DECISION = 0;
    private static final int PORTS = 1;
    private static final long DECIDED = 1L << 32;
    /** RFC 1413: the IDENT server listens on tcp/113. */
    static final int IDENT_PORT = 113;
    /** rresvport(3): reserved ports are 512..1023 (below 1024, IPPORT_RESERVED; rcmd starts at 1023 going down). */
    private static final int FIRST_RESERVED = 512;
    private static final int LAST_RESERVED = 1023;
    private static final int LAST_PORT = 65_535;
    private static final int PROTOCOL_TCP = 6;

    private final RshStderrPort stderr = new RshStderrPort();
    private final RshStderrPortWriter writer = new RshStderrPortWriter();
    private final IdentRewriter ident = new IdentRewriter();
    private final long[] reasonCounters = new long[RshReason.values().length];
    private final long[] eventCounters = new long[RshEvent.values().length];

    @Override
    public AlgId id() {
        return AlgId.RSH;
    }

    @Override
    public AlgPolicy policy() {
        return POLICY;
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        if (packet.protocol() != PROTOCOL_TCP) {
            return AlgOutcome.PASS;
        }
        if (packet.parentSessionId() != 0) {
            translateIdent(packet);
            return AlgOutcome.PASS;
        }
        if (packet.direction() != Direction.ORIGINAL) {
            return AlgOutcome.PASS;
        }
        MemorySegment segment = packet.segment();
        long from = packet.payloadOffset();
        long end = from + packet.payloadLength();
        long decision = packet.state(DECISION);
        if (decision != 0) {
            rewriteAgainIfResent(packet, decision, from, end);
            return AlgOutcome.PASS;
        }
        RshReason reason = RshStderrPortParser.parse(segment, from, end, stderr);
        reasonCounters[reason.ordinal()]++;
        if (reason.isMalformed()) {
            packet.countParseError();
        }
        switch (reason) {
            case INCOMPLETE -> {
                if (packet.holdFrom(from) != HoldReason.OK) {
                    eventCounters[RshEvent.NOT_HELD.ordinal()]++;
                    remember(packet);
                }
                return AlgOutcome.PASS;
            }
            case NOT_A_DIGIT, TOO_MANY_DIGITS, PORT_OVER_65535 -> {
                eventCounters[RshEvent.DROPPED.ordinal()]++;
                return AlgOutcome.DROP;
            }
            case NO_STDERR_CHANNEL -> {
                remember(packet);
                expectIdent(packet);
                return AlgOutcome.PASS;
            }
            default -> {
                remember(packet);
                expectStderr(packet);
                expectIdent(packet);
                return AlgOutcome.PASS;
            }
        }
    }

    /** The first string is decided: later segments are not parsed, and the IDENT child will need the ports. */
    private static void remember(AlgPacket packet) {
        packet.state(DECISION, DECIDED);
        packet.state(PORTS, (long) packet.arrivedSourcePort() << 48 | (long) packet.leavingSourcePort() << 32
                | (long) packet.arrivedDestinationPort() << 16 | packet.leavingDestinationPort());
    }

    /**
     * An IDENT line on the child the server opened to the client's tcp/113 (RFC 1413: {@code <port-on-server> ,
     * <port-on-client>}, the server being the IDENT server, i.e. the rsh client). The query (the child's original
     * direction) names the control connection's ports as the rsh server sees them, which the client's IDENT server
     * must see as its own; the reply names them as the client sees them, translated back for the rsh server.
     */
    private void translateIdent(AlgPacket packet) {
        if (!packet.hasParentState()) {
            eventCounters[RshEvent.IDENT_PARENT_GONE.ordinal()]++;
            return;
        }
        long ports = packet.parentState(PORTS);
        int clientOwn = (int) (ports >>> 48);
        int clientSeen = (int) (ports >>> 32) & 0xFFFF;
        int serverSeen = (int) (ports >>> 16) & 0xFFFF;
        int serverOwn = (int) ports & 0xFFFF;
        int replaced = packet.direction() == Direction.ORIGINAL
                ? ident.rewrite(packet, clientSeen, clientOwn, serverOwn, serverSeen)
                : ident.rewrite(packet, clientOwn, clientSeen, serverSeen, serverOwn);
        if (replaced > 0) {
            eventCounters[RshEvent.IDENT_TRANSLATED.ordinal()]++;
        }
    }

    /**
     * A decided session whose port was moved: a segment that is exactly its first string again (the client resending
     * it, lost after algd) is rewritten as the first time, so that the server connects to the port expected. The
     * framework keeps the sequence shift of the first time (a retransmission changes no delta).
     */
    private void rewriteAgainIfResent(AlgPacket packet, long decision, long from, long end) {
        int moved = (int) decision & 0xFFFF;
        if (moved == 0) {
            return;
        }
        RshReason reason = RshStderrPortParser.parse(packet.segment(), from, end, stderr);
        if (reason == RshReason.OK && stderr.end == end && stderr.port == ((int) (decision >>> 16) & 0xFFFF)) {
            eventCounters[RshEvent.RESENT_STRING_REWRITTEN.ordinal()]++;
            rewrite(packet, writer.writePort(moved));
        }
    }

    /** The server's connection to the client's stderr port. */
    private void expectStderr(AlgPacket packet) {
        int client = packet.arrivedSourceAddress();
        int clientAsSeen = packet.leavingSourceAddress();
        boolean isTranslated = clientAsSeen != client;
        int wanted = stderr.port;
        int port = wanted;
        int tries = isTranslated ? MAX_PORT_TRIES : 1;
        for (int n = 0; n < tries; n++) {
            Expectation child = childTo(packet, port);
            if (isTranslated) {
                child.translateDestinationTo(client, wanted);
            }
            ExpectationReason stored = packet.expect(child);
            if (stored == ExpectationReason.CREATED || stored == ExpectationReason.REFRESHED) {
                eventCounters[RshEvent.STDERR_EXPECTED.ordinal()]++;
                if (port != wanted) {
                    packet.state(DECISION, DECIDED | (long) wanted << 16 | port);
                    rewrite(packet, writer.writePort(port));
                }
                return;
            }
            if (stored != ExpectationReason.CLASH) {
                break;
            }
            port = nextPort(wanted, port);
        }
        eventCounters[RshEvent.STDERR_NOT_EXPECTED.ordinal()]++;
    }

    /** The server's IDENT query to the client's tcp/113 (RFC 1413). */
    private void expectIdent(AlgPacket packet) {
        Expectation child = childTo(packet, IDENT_PORT).inspectChild();
        if (packet.leavingSourceAddress() != packet.arrivedSourceAddress()) {
            child.translateDestinationTo(packet.arrivedSourceAddress(), IDENT_PORT);
        }
        ExpectationReason stored = packet.expect(child);
        boolean isStored = stored == ExpectationReason.CREATED || stored == ExpectationReason.REFRESHED;
        eventCounters[(isStored ? RshEvent.IDENT_EXPECTED : RshEvent.IDENT_NOT_EXPECTED).ordinal()]++;
    }

    /**
     * A connection from the server (its real address, any port) to the client as the server sees it, at
     * {@code port}; a server behind destination NAT leaves with the address the client connected to.
     */
    private static Expectation childTo(AlgPacket packet, int port) {
        Expectation child = packet.newExpectation()
                .fromAnyPort(packet.leavingDestinationAddress())
                .to(packet.leavingSourceAddress(), port);
        if (packet.arrivedDestinationAddress() != packet.leavingDestinationAddress()) {
            child.translateSourceTo(packet.arrivedDestinationAddress(), Expectation.KEEP_PORT);
        }
        return child;
    }

    /** The next port after {@code port} in the class of {@code wanted}: reserved ports stay reserved. */
    private static int nextPort(int wanted, int port) {
        if (wanted >= FIRST_RESERVED && wanted <= LAST_RESERVED) {
            return port >= LAST_RESERVED ? FIRST_RESERVED : port + 1;
        }
        int first = wanted < FIRST_RESERVED ? 1 : LAST_RESERVED + 1;
        return port >= LAST_PORT ? first : port + 1;
    }

    private void rewrite(AlgPacket packet, int length) {
        int oldLength = (int) (stderr.spanTo - stderr.spanFrom);
        RewriteReason reason = packet.rewriter().replace(stderr.spanFrom, oldLength, writer.scratch(), 0, length);
        eventCounters[(reason == RewriteReason.OK ? RshEvent.REWRITTEN : RshEvent.REWRITE_FAILED).ordinal()]++;
    }

    /** How many first strings the parser answered with {@code reason}, on this engine's worker. */
    public long count(RshReason reason) {
        return reasonCounters[reason.ordinal()];
    }

    /** How many IDENT lines the parser answered with {@code reason}, on this engine's worker. */
    public long count(IdentReason reason) {
        return ident.count(reason);
    }

    /** How often the ALG decided {@code event}, on this engine's worker. */
    public long count(RshEvent event) {
        return eventCounters[event.ordinal()];
    }
}
