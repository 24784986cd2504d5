package dev.algd.engine.alg.ftp;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgAddress;
import dev.algd.engine.alg.AlgDiagnostics;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.alg.Expectation;
import dev.algd.engine.alg.ExpectationReason;
import dev.algd.engine.alg.RewriteReason;
import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Direction;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FTP ALG. Each line of a control-session segment is handed to {@link FtpCommandParser}; a line that carries an
 * address is translated in three steps, kept apart (parse, decide, rewrite):
 * <ul>
 *   <li>{@code PORT}/{@code EPRT} from the client (active mode). The address must be the client's own, or the
 *   packet is dropped (FTP bounce, RFC 2577 §3), unless the ALG was built to allow it; an address of the other family
 *   than the control connection's is not the client's own (netfilter likewise expects only the connection's own
 *   address, alg-behaviour.md §1), and algd does no NAT64. Behind source NAT the text is
 *   replaced by the client's translated address and a port, and the server's data connection to that address and
 *   port, from any source port (netfilter; Vyatta insists on port 20, which servers running unprivileged break), is
 *   expected and sent on to the client's own address and port.</li>
 *   <li>{@code 227}/{@code 229} from the server (passive mode). Behind destination NAT the 227's address becomes the
 *   one the client connected to; the client's data connection to it is expected and sent on to the server. A 227
 *   without digits ({@code 227 Logout.}) passes untouched.</li>
 * </ul>
 * The data connection becomes a child of the control session, one-shot, waiting {@link #POLICY}'s timeout. Only the
 * address/port span is replaced, so the rest of the line and any pipelined lines after it stay as they were; the
 * rewriter fixes lengths, checksums and sequence numbers.
 * <p>
 * A line that could be one of the four but has no LF yet ({@link FtpReason#INCOMPLETE}) is held back by the
 * framework's control-line reassembly ({@link AlgPacket#holdFrom}) and seen whole in front of the next segment. Other
 * unfinished lines are not held, so a segment is taken to start at the start of a line, as Vyatta does (netfilter
 * remembers the sequence number after each LF).
 * <p>
 * The port of a translated PORT/EPRT: behind a source NAT rule with a translation port range (the guide's
 * {@code translation port 513-1023}), the next port of that range after the control session's own that no other
 * expectation holds, as Vyatta (alg-behaviour.md §5 vector 7); behind a rule without one, the client's own port when
 * the expectation table takes it, else the next free one up, as netfilter. Like netfilter, only expectations are
 * checked: a session already using that public port towards the same server port would shadow the data connection.
 * <p>
 * IPv6 (NAT66) works the same way through the two-{@code long} addresses of {@link AlgAddress}: {@code EPRT |2|}
 * is rewritten to the client's translated IPv6 address, a {@code 229} pinhole is opened through source and
 * destination NAT66; a {@code 227} (IPv4 only, RFC 959) on an IPv6 control connection never names the server and
 * passes untouched.
 */
public final class FtpAlg implements Alg {
    /** One pending data connection per control session (netfilter's max_expected 1), 120 s as Vyatta's FTP data. */
    static final AlgPolicy POLICY = new AlgPolicy(1, 120);
    /** How many ports above the wanted one a translated PORT may take when another control session expects it. */
    static final int MAX_PORT_TRIES = 16;
    /** Ports a moved data port stays within: unprivileged ones (FreeBSD's libalias refuses data ports below 1024). */
    private static final int FIRST_MOVED_PORT = 1024;
    private static final int LAST_PORT = 65_535;
    private static final int PROTOCOL_TCP = 6;

    private final boolean isBounceAllowed;
    private final FtpCommand command = new FtpCommand();
    private final FtpCommandWriter writer = new FtpCommandWriter();
    private final long[] reasonCounters = new long[FtpReason.values().length];
    private final long[] eventCounters = new long[FtpEvent.values().length];

    /** An FTP ALG that refuses FTP bounce. */
    public FtpAlg() {
        this(false);
    }

    /** @param isBounceAllowed whether a PORT/EPRT may name an address other than the client's own */
    public FtpAlg(boolean isBounceAllowed) {
        this.isBounceAllowed = isBounceAllowed;
    }

    @Override
    public AlgId id() {
        return AlgId.FTP;
    }

    @Override
    public AlgPolicy policy() {
        return POLICY;
    }

    @Override
    public boolean supportsIpv6() {
        return true;
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        if (packet.protocol() != PROTOCOL_TCP) {
            return AlgOutcome.PASS;
        }
        MemorySegment segment = packet.segment();
        long line = packet.payloadOffset();
        long end = line + packet.payloadLength();
        while (line < end) {
            FtpReason reason = FtpCommandParser.parse(segment, line, end, command);
            reasonCounters[reason.ordinal()]++;
            if (reason.isMalformed()) {
                packet.countParseError();
            }
            if (reason == FtpReason.INCOMPLETE) {
                // The framework puts the unfinished line in front of the next segment; if it cannot, the line passes
                // unparsed and AlgEvent.LINE_PASSED_UNPARSED moves.
                packet.holdFrom(line);
                break;
            }
            long next = command.lineEnd;
            if (reason == FtpReason.OK) {
                if (translate(packet) == AlgOutcome.DROP) {
                    return AlgOutcome.DROP;
                }
                long newEnd = packet.payloadOffset() + packet.payloadLength();
                next += newEnd - end;
                end = newEnd;
            }
            line = next;
        }
        return AlgOutcome.PASS;
    }

    private AlgOutcome translate(AlgPacket packet) {
        boolean isClientCommand = command.kind == FtpCommand.Kind.PORT_COMMAND
                || command.kind == FtpCommand.Kind.EPRT_COMMAND;
        int expectedDirection = isClientCommand ? Direction.ORIGINAL : Direction.REPLY;
        if (packet.direction() != expectedDirection) {
            eventCounters[FtpEvent.WRONG_DIRECTION.ordinal()]++;
            return AlgOutcome.PASS;
        }
        if (command.family != FtpCommand.FAMILY_NONE
                && (command.family == FtpCommand.FAMILY_IPV6) != packet.isIpv6()) {
            eventCounters[FtpEvent.OTHER_ADDRESS_FAMILY.ordinal()]++;
        }
        return isClientCommand ? translateActive(packet) : translatePassive(packet);
    }

    /** PORT or EPRT from the client: the server will connect to the address and port named. */
    private AlgOutcome translateActive(AlgPacket packet) {
        long clientHigh = packet.arrivedSourceHigh();
        long clientLow = packet.arrivedSourceLow();
        if (command.high() != clientHigh || command.low() != clientLow) {
            if (isBounceAllowed) {
                return AlgOutcome.PASS;
            }
            eventCounters[FtpEvent.BOUNCE_REFUSED.ordinal()]++;
            return AlgOutcome.DROP;
        }
        long translatedHigh = packet.leavingSourceHigh();
        long translatedLow = packet.leavingSourceLow();
        boolean isTranslated = packet.isSourceAddressTranslated();
        // Behind a rule with a port range the data port comes from that range, after the control session's own
        // (Vyatta, alg-behaviour.md §5 vector 7); otherwise the client's port is kept where free (netfilter).
        int rangeFirst = isTranslated ? packet.sourceNatPortFirst() : 0;
        int rangeLast = packet.sourceNatPortLast();
        boolean fromRange = rangeFirst != 0;
        int port = fromRange ? nextInRange(packet.leavingSourcePort(), rangeFirst, rangeLast) : command.port;
        int tries = !isTranslated ? 1 : fromRange ? Math.min(MAX_PORT_TRIES, rangeLast - rangeFirst + 1)
                : MAX_PORT_TRIES;
        for (int n = 0; n < tries; n++) {
            Expectation data = packet.newExpectation()
                    .fromAnyPort(packet.leavingDestinationHigh(), packet.leavingDestinationLow())
                    .to(translatedHigh, translatedLow, port);
            if (isTranslated) {
                data.translateDestinationTo(clientHigh, clientLow, command.port);
            }
            if (packet.isDestinationAddressTranslated()) {
                // The server is behind destination NAT: its connection out must come from the address the client
                // connected to, whatever the source NAT rules say.
                data.translateSourceTo(packet.arrivedDestinationHigh(), packet.arrivedDestinationLow(),
                        Expectation.KEEP_PORT);
            }
            ExpectationReason stored = packet.expect(data);
            if (stored == ExpectationReason.CREATED || stored == ExpectationReason.REFRESHED) {
                eventCounters[FtpEvent.DATA_CONNECTION_EXPECTED.ordinal()]++;
                if (isTranslated) {
                    rewrite(packet, writeActive(translatedHigh, translatedLow, port));
                }
                return AlgOutcome.PASS;
            }
            if (stored != ExpectationReason.CLASH) {
                break;
            }
            port = fromRange ? nextInRange(port, rangeFirst, rangeLast)
                    : port >= LAST_PORT ? FIRST_MOVED_PORT : Math.max(port + 1, FIRST_MOVED_PORT);
        }
        eventCounters[FtpEvent.EXPECTATION_NOT_STORED.ordinal()]++;
        return AlgOutcome.PASS;
    }

    /** The port after {@code port} in {@code first..last}, wrapping; {@code first} for a port outside it. */
    private static int nextInRange(int port, int first, int last) {
        return port < first || port >= last ? first : port + 1;
    }

    /** The replacement span of a PORT or EPRT naming this address and port; returns its length. */
    private int writeActive(long high, long low, int port) {
        if (command.kind == FtpCommand.Kind.PORT_COMMAND) {
            return writer.writeNumbers(AlgAddress.ipv4(low), port);
        }
        return command.family == FtpCommand.FAMILY_IPV6
                ? writer.writeEprtAddressAndPort(high, low, command.delimiter, port)
                : writer.writeEprtAddressAndPort(AlgAddress.ipv4(low), command.delimiter, port);
    }

    /** 227 or 229 from the server: the client will connect to the address (227) or the server (229) and port. */
    private AlgOutcome translatePassive(AlgPacket packet) {
        long serverHigh = packet.arrivedSourceHigh();
        long serverLow = packet.arrivedSourceLow();
        long serverAsSeenHigh = packet.leavingSourceHigh();
        long serverAsSeenLow = packet.leavingSourceLow();
        boolean isPasv = command.kind == FtpCommand.Kind.PASV_REPLY;
        boolean namesServer = command.high() == serverHigh && command.low() == serverLow;
        if (isPasv && !namesServer && (command.high() != serverAsSeenHigh || command.low() != serverAsSeenLow)) {
            eventCounters[FtpEvent.ADDRESS_NOT_THE_SERVERS.ordinal()]++;
            return AlgOutcome.PASS;
        }
        // A 227 that already names the address the client sees (a server configured with its public address) needs
        // no rewrite; the data connection is still expected, so it reaches the server behind destination NAT.
        boolean isTranslated = packet.isSourceAddressTranslated();
        boolean needsRewrite = isTranslated && (!isPasv || namesServer);
        int port = command.port;
        int tries = isTranslated ? MAX_PORT_TRIES : 1;
        for (int n = 0; n < tries; n++) {
            Expectation data = packet.newExpectation()
                    .fromAnyPort(packet.leavingDestinationHigh(), packet.leavingDestinationLow())
                    .to(serverAsSeenHigh, serverAsSeenLow, port);
            if (isTranslated) {
                data.translateDestinationTo(serverHigh, serverLow, command.port);
            }
            ExpectationReason stored = packet.expect(data);
            if (stored == ExpectationReason.CREATED || stored == ExpectationReason.REFRESHED) {
                eventCounters[FtpEvent.DATA_CONNECTION_EXPECTED.ordinal()]++;
                if (isPasv && needsRewrite) {
                    rewrite(packet, writer.writeNumbers(AlgAddress.ipv4(serverAsSeenLow), port));
                } else if (port != command.port) {
                    rewrite(packet, isPasv ? writer.writeNumbers(command.address, port) : writer.writePort(port));
                }
                return AlgOutcome.PASS;
            }
            if (stored != ExpectationReason.CLASH || !isTranslated) {
                break;
            }
            port = port >= LAST_PORT ? FIRST_MOVED_PORT : Math.max(port + 1, FIRST_MOVED_PORT);
        }
        eventCounters[FtpEvent.EXPECTATION_NOT_STORED.ordinal()]++;
        return AlgOutcome.PASS;
    }

    private void rewrite(AlgPacket packet, int length) {
        int oldLength = (int) (command.spanTo - command.spanFrom);
        RewriteReason reason = packet.rewriter().replace(command.spanFrom, oldLength, writer.scratch(), 0, length);
        eventCounters[(reason == RewriteReason.OK ? FtpEvent.REWRITTEN : FtpEvent.REWRITE_FAILED).ordinal()]++;
    }

    /** How many lines the parser answered with {@code reason}, on this engine's worker. */
    public long count(FtpReason reason) {
        return reasonCounters[reason.ordinal()];
    }

    /** How often the ALG decided {@code event}, on this engine's worker. */
    public long count(FtpEvent event) {
        return eventCounters[event.ordinal()];
    }

    @Override
    public Map<String, Long> diagnostics() {
        Map<String, Long> counts = new LinkedHashMap<>();
        AlgDiagnostics.put(counts, "", FtpReason.values(), reasonCounters);
        AlgDiagnostics.put(counts, "", FtpEvent.values(), eventCounters);
        return counts;
    }
}
