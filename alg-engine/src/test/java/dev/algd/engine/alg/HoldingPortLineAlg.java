package dev.algd.engine.alg;

import dev.algd.engine.config.AlgId;
import dev.algd.engine.session.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A test-only line ALG for control-line reassembly: walks the client's payload line by line; every complete line
 * {@code PORT h1,h2,h3,h4,p1,p2\r\n} gets the client's translated address, and an unfinished last line is held
 * back with {@link AlgPacket#holdFrom}. Counts the lines it rewrote, so a test can prove each was rewritten once.
 */
public final class HoldingPortLineAlg implements Alg {
    private static final byte[] PORT = {'P', 'O', 'R', 'T', ' '};
    private static final AlgPolicy POLICY = new AlgPolicy(1, 10);
    private final AlgId id;
    private final byte[] scratch = new byte[16];
    public int linesRewritten;
    public HoldReason lastHold;

    public HoldingPortLineAlg() {
        this(AlgId.FTP);
    }

    public HoldingPortLineAlg(AlgId id) {
        this.id = id;
    }

    @Override
    public AlgId id() {
        return id;
    }

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
        long line = packet.payloadOffset();
        while (true) {
            long end = packet.payloadOffset() + packet.payloadLength();
            long newline = line;
            while (newline < end && segment.get(ValueLayout.JAVA_BYTE, newline) != '\n') {
                newline++;
            }
            if (newline == end) {
                if (line < end) {
                    lastHold = packet.holdFrom(line);
                }
                return AlgOutcome.PASS;
            }
            line = rewriteLine(packet, line, newline) + 1;
        }
    }

    /** Rewrites the line [from, newline) if it is a PORT line; returns where its newline is now. */
    private long rewriteLine(AlgPacket packet, long from, long newline) {
        MemorySegment segment = packet.segment();
        if (newline - from < PORT.length) {
            return newline;
        }
        for (int i = 0; i < PORT.length; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, from + i) != PORT[i]) {
                return newline;
            }
        }
        long start = from + PORT.length;
        long end = start;
        int commas = 0;
        while (end < newline && commas < 4) {
            if (segment.get(ValueLayout.JAVA_BYTE, end) == ',') {
                commas++;
            }
            end++;
        }
        if (commas < 4) {
            return newline;
        }
        int addressLength = (int) (end - 1 - start);
        int written = writeAddress(packet.leavingSourceAddress());
        if (packet.rewriter().replace(start, addressLength, scratch, 0, written) != RewriteReason.OK) {
            return newline;
        }
        linesRewritten++;
        return newline + written - addressLength;
    }

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
