package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A test-only ALG for the payload rewriter: a client line {@code PORT h1,h2,h3,h4,p1,p2\r\n} at the payload start
 * gets the client's translated address instead of {@code h1..h4} (the port is kept). Just enough of FTP's PORT
 * (RFC 959 §4.1.2) to replay alg-behaviour.md §5 vectors 4 and 5; the real parser belongs in alg.ftp.
 */
public final class PortLineAlg implements Alg {
    private static final byte[] PORT = {'P', 'O', 'R', 'T', ' '};
    private final AlgId id;
    private final byte[] scratch = new byte[16];
    public RewriteReason lastReason;

    public PortLineAlg(AlgId id) {
        this.id = id;
    }

    @Override
    public AlgId id() {
        return id;
    }

    private static final AlgPolicy POLICY = new AlgPolicy(1, 10);

    @Override
    public AlgPolicy policy() {
        return POLICY;
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        if (packet.direction() != Direction.ORIGINAL) {
            return AlgOutcome.PASS;
        }
        MemorySegment segment = packet.segment();
        long from = packet.payloadOffset();
        int length = packet.payloadLength();
        if (length < PORT.length) {
            return AlgOutcome.PASS;
        }
        for (int i = 0; i < PORT.length; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, from + i) != PORT[i]) {
                return AlgOutcome.PASS;
            }
        }
        // The address is the text up to the fourth comma.
        long start = from + PORT.length;
        int commas = 0;
        long end = start;
        while (end < from + length && commas < 4) {
            if (segment.get(ValueLayout.JAVA_BYTE, end) == ',') {
                commas++;
            }
            end++;
        }
        if (commas < 4) {
            return AlgOutcome.PASS;
        }
        int addressLength = (int) (end - 1 - start);
        int written = writeAddress(packet.leavingSourceAddress());
        lastReason = packet.rewriter().replace(start, addressLength, scratch, 0, written);
        return AlgOutcome.PASS;
    }

    /** Writes {@code a,b,c,d} into the scratch array; returns its length. */
    private int writeAddress(int address) {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int octet = address >>> shift & 0xff;
            if (octet >= 100) {
                scratch[n++] = (byte) ('0' + octet / 100);
            }
            if (octet >= 10) {
                scratch[n++] = (byte) ('0' + octet / 10 % 10);
            }
            scratch[n++] = (byte) ('0' + octet % 10);
            if (shift > 0) {
                scratch[n++] = ',';
            }
        }
        return n;
    }
}
