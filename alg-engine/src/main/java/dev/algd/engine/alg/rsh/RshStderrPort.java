package dev.algd.engine.alg.rsh;

/** What {@link RshStderrPortParser} found in the first string of an rsh control session; reused, never allocated. */
final class RshStderrPort {
    /** The stderr port, 0 for none. */
    int port;
    /** The digits: where they start, and where they end (at the NUL). */
    long spanFrom;
    long spanTo;
    /** Where the bytes after the NUL start ({@code locuser}). */
    long end;

    RshStderrPort clear() {
        port = 0;
        spanFrom = 0;
        spanTo = 0;
        end = 0;
        return this;
    }
}
