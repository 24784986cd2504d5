package dev.algd.io;

import dev.algd.engine.alg.Alg;
import dev.algd.engine.alg.AlgOutcome;
import dev.algd.engine.alg.AlgPacket;
import dev.algd.engine.alg.AlgPolicy;
import dev.algd.engine.config.AlgId;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A test ALG on SIP's port (algd has no SIP ALG) whose control messages name a media endpoint on another host,
 * {@code "MEDIA <address as int> <port>\r\n"}: it expects the client's connection to it, as a SIP ALG would.
 */
final class MediaAlg implements Alg {
    static final int PORT = 5060;

    static String line(int address, int port) {
        return "MEDIA " + address + " " + port + "\r\n";
    }

    @Override
    public AlgId id() {
        return AlgId.SIP;
    }

    @Override
    public AlgPolicy policy() {
        return new AlgPolicy(8, 30);
    }

    @Override
    public AlgOutcome inspect(AlgPacket packet) {
        int length = packet.payloadLength();
        if (length == 0) {
            return AlgOutcome.PASS;
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = packet.segment().get(ValueLayout.JAVA_BYTE, packet.payloadOffset() + i);
        }
        String[] words = new String(bytes, StandardCharsets.US_ASCII).strip().split(" ");
        if (words.length == 3 && words[0].equals("MEDIA")) {
            packet.expect(packet.newExpectation().fromAnyPort(packet.leavingDestinationAddress())
                    .to(Integer.parseInt(words[1]), Integer.parseInt(words[2])));
        }
        return AlgOutcome.PASS;
    }
}
