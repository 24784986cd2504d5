package dev.algd.engine.alg.tftp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes an RRQ or WRQ in the layout {@link TftpRequest} draws: the parser's counterpart, for its round-trip test.
 * The ALG itself never rewrites a request (nothing in it names an address).
 */
final class TftpRequestWriter {
    private TftpRequestWriter() {
    }

    /**
     * Writes {@code opcode}, {@code filename}, {@code mode} and the option names and values (alternating) at
     * {@code at}; returns the number of bytes written. The caller sizes {@code out}.
     */
    static int write(MemorySegment out, long at, int opcode, byte[] filename, byte[] mode, byte[]... options) {
        long i = at;
        out.set(ValueLayout.JAVA_BYTE, i++, (byte) (opcode >>> 8));
        out.set(ValueLayout.JAVA_BYTE, i++, (byte) opcode);
        i = writeString(out, i, filename);
        i = writeString(out, i, mode);
        for (byte[] option : options) {
            i = writeString(out, i, option);
        }
        return (int) (i - at);
    }

    private static long writeString(MemorySegment out, long at, byte[] text) {
        MemorySegment.copy(text, 0, out, ValueLayout.JAVA_BYTE, at, text.length);
        out.set(ValueLayout.JAVA_BYTE, at + text.length, (byte) 0);
        return at + text.length + 1;
    }
}
