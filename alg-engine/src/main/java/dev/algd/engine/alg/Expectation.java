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
 * <p>
 * Addresses are kept in {@link AlgAddress} form; the {@code int} setters take an IPv4 address and store it mapped.
 * The family ({@link #ipv6}) is the parent packet's, so an IPv6 control session expects IPv6 children.
 */
public final class Expectation {
    /** A port in a translation that stays what the child's packet carries. */
    public static final int KEEP_PORT = -1;

    int protocol;
    boolean isIpv6;
    long sourceHigh;
    long sourceLow;
    int sourcePort;
    boolean anySourceAddress;
    boolean anySourcePort;
    long destinationHigh;
    long destinationLow;
    int destinationPort;
    boolean translatesSource;
    long newSourceHigh;
    long newSourceLow;
    int newSourcePort;
    boolean translatesDestination;
    long newDestinationHigh;
    long newDestinationLow;
    int newDestinationPort;
    long timeoutSeconds;
    boolean oneShot;
    boolean inspectsChild;

    /** Forgets every field: IPv4, any source, no translation, the ALG's default timeout, consumed by its first flow. */
    public Expectation clear() {
        protocol = 0;
        isIpv6 = false;
        sourceHigh = 0;
        sourceLow = 0;
        sourcePort = 0;
        anySourceAddress = true;
        anySourcePort = true;
        destinationHigh = 0;
        destinationLow = 0;
        destinationPort = 0;
        translatesSource = false;
        newSourceHigh = 0;
        newSourceLow = 0;
        newSourcePort = KEEP_PORT;
        translatesDestination = false;
        newDestinationHigh = 0;
        newDestinationLow = 0;
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

    /** The child is an IPv6 flow; {@link AlgPacket#newExpectation()} sets the family of the packet. */
    public Expectation ipv6(boolean isIpv6) {
        this.isIpv6 = isIpv6;
        return this;
    }

    /** The child comes from exactly this IPv4 address and port. */
    public Expectation from(int address, int port) {
        return from(AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(address), port);
    }

    /** The child comes from exactly this address ({@link AlgAddress}) and port. */
    public Expectation from(long high, long low, int port) {
        sourceHigh = high;
        sourceLow = low;
        sourcePort = port;
        anySourceAddress = false;
        anySourcePort = false;
        return this;
    }

    /** The child comes from this IPv4 address, any source port (TFTP's new TID, FTP passive data). */
    public Expectation fromAnyPort(int address) {
        return fromAnyPort(AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(address));
    }

    /** The child comes from this address ({@link AlgAddress}), any source port. */
    public Expectation fromAnyPort(long high, long low) {
        sourceHigh = high;
        sourceLow = low;
        sourcePort = 0;
        anySourceAddress = false;
        anySourcePort = true;
        return this;
    }

    /** The child may come from any address and port. */
    public Expectation fromAnywhere() {
        sourceHigh = 0;
        sourceLow = 0;
        sourcePort = 0;
        anySourceAddress = true;
        anySourcePort = true;
        return this;
    }

    /** The child is sent to exactly this IPv4 address and port (as it arrives, before translation). */
    public Expectation to(int address, int port) {
        return to(AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(address), port);
    }

    /** The child is sent to exactly this address ({@link AlgAddress}) and port (as it arrives). */
    public Expectation to(long high, long low, int port) {
        destinationHigh = high;
        destinationLow = low;
        destinationPort = port;
        return this;
    }

    /** The child's packets in its original direction leave with this source ({@link #KEEP_PORT} keeps the port). */
    public Expectation translateSourceTo(int address, int port) {
        return translateSourceTo(AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(address), port);
    }

    /** {@link #translateSourceTo(int, int)} for an address of either family ({@link AlgAddress}). */
    public Expectation translateSourceTo(long high, long low, int port) {
        translatesSource = true;
        newSourceHigh = high;
        newSourceLow = low;
        newSourcePort = port;
        return this;
    }

    /** The child's packets in its original direction go to this destination ({@link #KEEP_PORT} keeps the port). */
    public Expectation translateDestinationTo(int address, int port) {
        return translateDestinationTo(AlgAddress.IPV4_HIGH, AlgAddress.ipv4Low(address), port);
    }

    /** {@link #translateDestinationTo(int, int)} for an address of either family ({@link AlgAddress}). */
    public Expectation translateDestinationTo(long high, long low, int port) {
        translatesDestination = true;
        newDestinationHigh = high;
        newDestinationLow = low;
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
    public static final int WORDS = 12;

    /** Writes this request into {@code words[at .. at + WORDS)} (a preallocated ring slot; allocates nothing). */
    public void writeTo(long[] words, int at) {
        words[at] = (long) protocol << 32 | (anySourceAddress ? 1 : 0) | (anySourcePort ? 2 : 0)
                | (translatesSource ? 4 : 0) | (translatesDestination ? 8 : 0) | (oneShot ? 16 : 0)
                | (inspectsChild ? 32 : 0) | (isIpv6 ? 64 : 0);
        words[at + 1] = sourceHigh;
        words[at + 2] = sourceLow;
        words[at + 3] = destinationHigh;
        words[at + 4] = destinationLow;
        words[at + 5] = newSourceHigh;
        words[at + 6] = newSourceLow;
        words[at + 7] = newDestinationHigh;
        words[at + 8] = newDestinationLow;
        words[at + 9] = (long) sourcePort << 32 | destinationPort & 0xffff_ffffL;
        words[at + 10] = (long) newSourcePort << 32 | newDestinationPort & 0xffff_ffffL;
        words[at + 11] = timeoutSeconds;
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
        isIpv6 = (flags & 64) != 0;
        sourceHigh = words[at + 1];
        sourceLow = words[at + 2];
        destinationHigh = words[at + 3];
        destinationLow = words[at + 4];
        newSourceHigh = words[at + 5];
        newSourceLow = words[at + 6];
        newDestinationHigh = words[at + 7];
        newDestinationLow = words[at + 8];
        sourcePort = (int) (words[at + 9] >>> 32);
        destinationPort = (int) words[at + 9];
        newSourcePort = (int) (words[at + 10] >>> 32);
        newDestinationPort = (int) words[at + 10];
        timeoutSeconds = words[at + 11];
        return this;
    }

    /** Whether the child is an IPv6 flow; the IPv4 getters below then do not apply. */
    public boolean isIpv6() {
        return isIpv6;
    }

    /** An IPv4 child's source address, or 0 when it may come from any address. */
    public int expectedSourceAddress() {
        return anySourceAddress ? 0 : AlgAddress.ipv4(sourceLow);
    }

    public boolean fromAnyAddress() {
        return anySourceAddress;
    }

    /** An IPv4 child's destination address. */
    public int expectedDestinationAddress() {
        return AlgAddress.ipv4(destinationLow);
    }

    public boolean inspectsChildFlow() {
        return inspectsChild;
    }
}
