package dev.algd.engine.alg;

/**
 * One expectation an ALG asks for: the flow it expects (a tuple with wildcards, as the packet will arrive at algd),
 * the translation to give the child session, and how long to wait. A reusable request, filled by an ALG through
 * {@link AlgPacket#newExpectation()} and handed to {@link AlgPacket#expect}; the table copies it, so it is never
 * kept. Setters return {@code this} and allocate nothing.
 * <p>
 * The child's destination is translated when {@link #translateDestinationTo} was called (an active FTP data
 * connection to the parent's translated address goes to the inside client); otherwise it is left alone. Its source
 * is translated when {@link #translateSourceTo} was called; otherwise the source NAT rules decide, as for any new
 * flow.
 */
public final class Expectation {
    /** A port in a translation that stays what the child's packet carries. */
    public static final int KEEP_PORT = -1;

    int protocol;
    int sourceAddress;
    int sourcePort;
    boolean anySourceAddress;
    boolean anySourcePort;
    int destinationAddress;
    int destinationPort;
    boolean translatesSource;
    int newSourceAddress;
    int newSourcePort;
    boolean translatesDestination;
    int newDestinationAddress;
    int newDestinationPort;
    long timeoutSeconds;
    boolean oneShot;
    boolean inspectsChild;

    /** Forgets every field: any source, no translation, the ALG's default timeout, consumed by its first flow. */
    public Expectation clear() {
        protocol = 0;
        sourceAddress = 0;
        sourcePort = 0;
        anySourceAddress = true;
        anySourcePort = true;
        destinationAddress = 0;
        destinationPort = 0;
        translatesSource = false;
        newSourceAddress = 0;
        newSourcePort = KEEP_PORT;
        translatesDestination = false;
        newDestinationAddress = 0;
        newDestinationPort = KEEP_PORT;
        timeoutSeconds = 0;
        oneShot = true;
        inspectsChild = false;
        return this;
    }

    public Expectation protocol(int protocol) {
        this.protocol = protocol;
        return this;
    }

    /** The child comes from exactly this address and port. */
    public Expectation from(int address, int port) {
        sourceAddress = address;
        sourcePort = port;
        anySourceAddress = false;
        anySourcePort = false;
        return this;
    }

    /** The child comes from this address, any source port (TFTP's new TID, FTP passive data). */
    public Expectation fromAnyPort(int address) {
        sourceAddress = address;
        sourcePort = 0;
        anySourceAddress = false;
        anySourcePort = true;
        return this;
    }

    /** The child may come from any address and port. */
    public Expectation fromAnywhere() {
        sourceAddress = 0;
        sourcePort = 0;
        anySourceAddress = true;
        anySourcePort = true;
        return this;
    }

    /** The child is sent to exactly this address and port (as it arrives, before translation). */
    public Expectation to(int address, int port) {
        destinationAddress = address;
        destinationPort = port;
        return this;
    }

    /** The child's packets in its original direction leave with this source ({@link #KEEP_PORT} keeps the port). */
    public Expectation translateSourceTo(int address, int port) {
        translatesSource = true;
        newSourceAddress = address;
        newSourcePort = port;
        return this;
    }

    /** The child's packets in its original direction go to this destination ({@link #KEEP_PORT} keeps the port). */
    public Expectation translateDestinationTo(int address, int port) {
        translatesDestination = true;
        newDestinationAddress = address;
        newDestinationPort = port;
        return this;
    }

    /** Wait this long instead of the ALG's {@link AlgPolicy#expectationTimeoutSeconds()}. */
    public Expectation timeoutSeconds(long seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    /**
     * Have the parent's ALG inspect the child flow too, with {@link AlgPacket#parentSessionId()} telling it whose
     * child it is: for a child whose payload names the parent's ports (the IDENT query of an rsh control session).
     */
    public Expectation inspectChild() {
        inspectsChild = true;
        return this;
    }

    /** Keep the expectation after its first flow, until it times out (SIP media that may start from either side). */
    public Expectation multiMatch() {
        oneShot = false;
        return this;
    }

    /** How many longs {@link #writeTo} fills: a request crosses between workers as plain words, not as an object. */
    public static final int WORDS = 6;

    /** Writes this request into {@code words[at .. at + WORDS)} (a preallocated ring slot; allocates nothing). */
    public void writeTo(long[] words, int at) {
        words[at] = (long) protocol << 32 | (anySourceAddress ? 1 : 0) | (anySourcePort ? 2 : 0)
                | (translatesSource ? 4 : 0) | (translatesDestination ? 8 : 0) | (oneShot ? 16 : 0)
                | (inspectsChild ? 32 : 0);
        words[at + 1] = (long) sourceAddress << 32 | sourcePort & 0xffff_ffffL;
        words[at + 2] = (long) destinationAddress << 32 | destinationPort & 0xffff_ffffL;
        words[at + 3] = (long) newSourceAddress << 32 | newSourcePort & 0xffff_ffffL;
        words[at + 4] = (long) newDestinationAddress << 32 | newDestinationPort & 0xffff_ffffL;
        words[at + 5] = timeoutSeconds;
    }

    /** Sets every field from what {@link #writeTo} wrote. */
    public Expectation readFrom(long[] words, int at) {
        long flags = words[at];
        protocol = (int) (flags >>> 32);
        anySourceAddress = (flags & 1) != 0;
        anySourcePort = (flags & 2) != 0;
        translatesSource = (flags & 4) != 0;
        translatesDestination = (flags & 8) != 0;
        oneShot = (flags & 16) != 0;
        inspectsChild = (flags & 32) != 0;
        sourceAddress = (int) (words[at + 1] >>> 32);
        sourcePort = (int) words[at + 1];
        destinationAddress = (int) (words[at + 2] >>> 32);
        destinationPort = (int) words[at + 2];
        newSourceAddress = (int) (words[at + 3] >>> 32);
        newSourcePort = (int) words[at + 3];
        newDestinationAddress = (int) (words[at + 4] >>> 32);
        newDestinationPort = (int) words[at + 4];
        timeoutSeconds = words[at + 5];
        return this;
    }

    /** The child's source address, or 0 when it may come from any address. */
    public int expectedSourceAddress() {
        return anySourceAddress ? 0 : sourceAddress;
    }

    public boolean fromAnyAddress() {
        return anySourceAddress;
    }

    public int expectedDestinationAddress() {
        return destinationAddress;
    }

    public boolean inspectsChildFlow() {
        return inspectsChild;
    }
}
