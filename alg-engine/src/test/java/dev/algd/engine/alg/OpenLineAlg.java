package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A test-only ALG that proves the framework without any real protocol: on a control session registered under
 * {@link AlgId#FTP}'s ports, a client line {@code OPEN <port>\n} means "connect back to me on that port". The ALG
 * expects a TCP connection from the server, any source port, to the client's translated address and that port,
 * and translates it to the client's own address. {@code OPEN 0} is malformed and dropped.
 */
public final class OpenLineAlg implements Alg {
    public static final AlgPolicy POLICY = new AlgPolicy(2, 30);
    private static final byte[] OPEN = {'O', 'P', 'E', 'N', ' '};
    private static final int MAX_DIGITS = 5;

    /** The last answer {@link AlgPacket#expect} gave, for tests. */
    public ExpectationReason lastReason;
    public int inspected;

    @Override
    public AlgId id() {
        return AlgId.FTP;
    }

    @Override
    public AlgPolicy policy() {
        return POLICY;
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        inspected++;
        if (packet.direction() != Direction.ORIGINAL) {
            return AlgOutcome.PASS;
        }
        int port = parsePort(packet.segment(), packet.payloadOffset(), packet.payloadLength());
        if (port == NOT_OPEN) {
            return AlgOutcome.PASS;
        }
        if (port <= 0 || port > 65535) {
            return AlgOutcome.DROP;
        }
        lastReason = packet.expect(packet.newExpectation()
                .fromAnyPort(packet.leavingDestinationAddress())
                .to(packet.leavingSourceAddress(), port)
                .translateDestinationTo(packet.arrivedSourceAddress(), port));
        return AlgOutcome.PASS;
    }

    private static final int NOT_OPEN = Integer.MIN_VALUE;

    /** The port of an {@code OPEN <port>\n} line at the payload's start; -1 for a malformed number. */
    static int parsePort(MemorySegment segment, long from, int length) {
        if (length < OPEN.length + 2) {
            return NOT_OPEN;
        }
        for (int i = 0; i < OPEN.length; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, from + i) != OPEN[i]) {
                return NOT_OPEN;
            }
        }
        int port = 0;
        int digits = 0;
        for (int i = OPEN.length; i < length; i++) {
            byte b = segment.get(ValueLayout.JAVA_BYTE, from + i);
            if (b == '\n') {
                return digits == 0 ? -1 : port;
            }
            if (b < '0' || b > '9' || ++digits > MAX_DIGITS) {
                return -1;
            }
            port = port * 10 + (b - '0');
        }
        return NOT_OPEN;
    }
}
