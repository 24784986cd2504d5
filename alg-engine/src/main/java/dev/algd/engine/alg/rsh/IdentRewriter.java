package dev.algd.engine.alg.rsh;

import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.RewriteReason;
import java.lang.foreign.MemorySegment;

/**
 * Translates the ports of IDENT lines (RFC 1413) in a packet, through the framework's rewriter: in each complete
 * line, a {@code <port-on-server>} equal to {@code serverFrom} becomes {@code serverTo} and a {@code <port-on-client>}
 * equal to {@code clientFrom} becomes {@code clientTo}. For rsh behind source NAT the query (rsh server to the
 * client's port 113) names the client's translated control port, which the client's IDENT server must see as its own
 * port; the reply names the own port, which the querying server must see translated. An unfinished line is held back
 * ({@link AlgPacket#holdFrom}); malformed lines pass untouched.
 * <p>
 * {@link RshAlg} calls it on the IDENT child of an rsh control session.
 */
final class IdentRewriter {
    private final IdentLine line = new IdentLine();
    private final RshStderrPortWriter writer = new RshStderrPortWriter();
    private final long[] reasonCounters = new long[IdentReason.values().length];

    /** Rewrites the packet's IDENT lines; returns how many ports were replaced. */
    int rewrite(AlgPacket packet, int serverFrom, int serverTo, int clientFrom, int clientTo) {
        MemorySegment segment = packet.segment();
        long start = packet.payloadOffset();
        long end = start + packet.payloadLength();
        int replaced = 0;
        while (start < end) {
            IdentReason reason = IdentParser.parse(segment, start, end, line);
            reasonCounters[reason.ordinal()]++;
            if (reason == IdentReason.INCOMPLETE) {
                packet.holdFrom(start);
                break;
            }
            long next = line.lineEnd;
            if (reason == IdentReason.OK) {
                // The client port comes after the server port: replace it first, so the server port's span holds.
                long clientPortFrom = line.clientPortFrom;
                int clientLength = (int) (line.clientPortTo - line.clientPortFrom);
                long serverPortFrom = line.serverPortFrom;
                int serverLength = (int) (line.serverPortTo - line.serverPortFrom);
                boolean isClientPort = line.clientPort == clientFrom && clientFrom != clientTo;
                boolean isServerPort = line.serverPort == serverFrom && serverFrom != serverTo;
                if (isClientPort && replace(packet, clientPortFrom, clientLength, clientTo)) {
                    replaced++;
                }
                if (isServerPort && replace(packet, serverPortFrom, serverLength, serverTo)) {
                    replaced++;
                }
                long newEnd = packet.payloadOffset() + packet.payloadLength();
                next += newEnd - end;
                end = newEnd;
            }
            start = next;
        }
        return replaced;
    }

    private boolean replace(AlgPacket packet, long from, int oldLength, int port) {
        int length = writer.writePort(port);
        return packet.rewriter().replace(from, oldLength, writer.scratch(), 0, length) == RewriteReason.OK;
    }

    long count(IdentReason reason) {
        return reasonCounters[reason.ordinal()];
    }
}
