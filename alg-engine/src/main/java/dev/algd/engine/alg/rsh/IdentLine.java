package dev.algd.engine.alg.rsh;

/** What {@link IdentParser} found in one IDENT line; reused, never allocated. */
final class IdentLine {
    /** Whether the line is a reply ({@code ports : USERID|ERROR : ...}) rather than a query. */
    boolean isReply;
    /** RFC 1413's {@code <port-on-server>}: the port on the host the IDENT server runs on (the rsh client). */
    int serverPort;
    long serverPortFrom;
    long serverPortTo;
    /** RFC 1413's {@code <port-on-client>}: the port on the querying host (the rsh server, 514). */
    int clientPort;
    long clientPortFrom;
    long clientPortTo;
    /** Where the next line starts (after the LF, or the end of the range when there is none). */
    long lineEnd;

    IdentLine clear() {
        isReply = false;
        serverPort = 0;
        serverPortFrom = 0;
        serverPortTo = 0;
        clientPort = 0;
        clientPortFrom = 0;
        clientPortTo = 0;
        lineEnd = 0;
        return this;
    }
}
