package dev.algd.engine.alg.rsh;

/**
 * Writes a stderr port as ASCII decimal into one scratch array, allocated once: the counterpart of
 * {@link RshStderrPortParser} (the digits only; the NUL after them stays in the packet). Also writes IDENT ports.
 */
final class RshStderrPortWriter {
    static final int MAX_TEXT_BYTES = RshStderrPortParser.MAX_DIGITS;

    private final byte[] scratch = new byte[MAX_TEXT_BYTES];

    byte[] scratch() {
        return scratch;
    }

    /** Writes {@code port} (0..65535) at the start of {@link #scratch()}; returns the number of digits. */
    int writePort(int port) {
        int length = port >= 10_000 ? 5 : port >= 1_000 ? 4 : port >= 100 ? 3 : port >= 10 ? 2 : 1;
        int value = port;
        for (int i = length - 1; i >= 0; i--) {
            scratch[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return length;
    }
}
