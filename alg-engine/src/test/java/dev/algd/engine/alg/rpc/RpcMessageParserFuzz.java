package dev.algd.engine.alg.rpc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * For any bytes, {@link RpcMessageParser} returns a reason for the message (read as each query) and for the record
 * marking, throws nothing and stays inside its range: the range is framed by guard bytes, and every answer is checked
 * against a parse of an exact-size copy.
 * <p>
 * Jazzer fuzzes {@link #parserAnswersEveryInputWithinItsRange} with {@code JAZZER_FUZZ=1}; the normal test run
 * replays its inputs directory and the written and captured messages, and jqwik adds random bytes.
 */
class RpcMessageParserFuzz {
    private static final int GUARD = 8;
    private static final int[] QUERIES = {RpcMessage.QUERY_NONE, RpcMessage.QUERY_GETPORT, RpcMessage.QUERY_GETADDR};
    private final RpcMessage out = new RpcMessage();
    private final RpcRecord record = new RpcRecord();
    private final MemorySegment joined = MemorySegment.ofArray(new byte[RpcMessageParser.MAX_RECORD_BYTES]);

    @FuzzTest(maxDuration = "60s")
    void parserAnswersEveryInputWithinItsRange(byte[] data) {
        MemorySegment exact = MemorySegment.ofArray(data.clone());
        for (int query : QUERIES) {
            RpcReason expected = RpcMessageParser.parse(exact, 0, data.length, query, out);
            assertNotNull(expected);
            for (byte guard : new byte[] {0, (byte) 0xff}) {
                RpcReason reason = RpcMessageParser.parse(framed(data, guard), GUARD, GUARD + data.length, query, out);
                assertTrue(reason == expected, () -> reason + " with guard bytes, " + expected + " without");
            }
        }
        RpcReason expected = RpcMessageParser.parseRecord(exact, 0, data.length, record);
        for (byte guard : new byte[] {0, (byte) 0xff}) {
            MemorySegment framed = framed(data, guard);
            RpcReason reason = RpcMessageParser.parseRecord(framed, GUARD, GUARD + data.length, record);
            assertTrue(reason == expected, () -> reason + " with guard bytes, " + expected + " without");
            if (reason == RpcReason.OK) {
                assertTrue(record.end > GUARD && record.end <= GUARD + data.length);
                int length = RpcMessageParser.joinRecord(framed, record, joined);
                assertTrue(length == record.messageLength);
                RpcMessageParser.parse(joined, 0, length, RpcMessage.QUERY_GETADDR, out);
            }
        }
    }

    private static MemorySegment framed(byte[] data, byte guard) {
        MemorySegment framed = MemorySegment.ofArray(new byte[data.length + 2 * GUARD]);
        framed.fill(guard);
        MemorySegment.copy(data, 0, framed, ValueLayout.JAVA_BYTE, GUARD, data.length);
        return framed;
    }

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(new RpcMessageWriter(MemorySegment.ofArray(new byte[512])).getPortCall(1, 100_003, 3, 17).toArray());
        seeds.add(new RpcMessageWriter(MemorySegment.ofArray(new byte[512])).getPortReply(1, 2049).toArray());
        seeds.add(new RpcMessageWriter(MemorySegment.ofArray(new byte[512]))
                .getAddrCall(2, 4, 100_024, 1, "tcp", "", "unknown").toArray());
        seeds.add(new RpcMessageWriter(MemorySegment.ofArray(new byte[512]))
                .getAddrReply(2, "198.51.100.2.3.233").toArray());
        seeds.add(RpcMessageWriter.record(seeds.get(2), 16));
        seeds.addAll(RpcFixtures.messages().values());
        return seeds;
    }

    @Test
    void writtenAndCapturedMessagesAreSeeds() {
        for (byte[] seed : seeds()) {
            parserAnswersEveryInputWithinItsRange(seed);
            for (int cut = 0; cut < seed.length; cut++) {
                parserAnswersEveryInputWithinItsRange(java.util.Arrays.copyOf(seed, cut));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesGetAReason(@ForAll @Size(max = 600) byte[] data) {
        parserAnswersEveryInputWithinItsRange(data);
    }
}
