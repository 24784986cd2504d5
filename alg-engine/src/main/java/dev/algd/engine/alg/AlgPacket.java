package dev.algd.engine.alg;

import java.lang.foreign.MemorySegment;

/**
 * What {@link Alg#inspect} sees of one packet: its payload inside the packet buffer, the flow as the packet arrived
 * and as it leaves (after NAT), its session, and the means to expect child flows. One per engine, re-bound to
 * each inspected packet by the engine ({@link #bind}); an ALG must not keep it beyond the call.
 * <p>
 * "Arrived" fields are the packet's tuple before translation; "leaving" fields after it. For a client behind
 * source NAT sending {@code PORT}, the payload holds {@link #arrivedSourceAddress()} and should hold
 * {@link #leavingSourceAddress()}.
 */
public final class AlgPacket {
    private final Expectation request = new Expectation();
    private final long[] counters;
    private final AlgStatistics statistics;
    private final ExpectationTable expectations;
    private final int parentCapacity;
    private ExpectationObserver observer;
    /** By parent ALG slot: the observer posted one of its expectations to another worker. */
    private boolean[] postedElsewhere;
    private final PayloadRewriter rewriter;
    private final LineReassembly reassembly;
    private final AlgSessionTable algSessions;

    private MemorySegment segment;
    private long payloadOffset;
    private int payloadLength;
    private int protocol;
    private int direction;
    private long sessionId;
    private long parentSessionId;
    private int parentAlgSlot = AlgSessionTable.NONE;
    private int algSlot;
    private int algId;
    private AlgPolicy policy;
    private long nowNanos;
    private int arrivedSourceAddress;
    private int arrivedSourcePort;
    private int arrivedDestinationAddress;
    private int arrivedDestinationPort;
    private int leavingSourceAddress;
    private int leavingSourcePort;
    private int leavingDestinationAddress;
    private int leavingDestinationPort;

    public AlgPacket(ExpectationTable expectations, AlgSessionTable algSessions, long[] counters,
            AlgStatistics statistics) {
        this(expectations, algSessions, counters, statistics, new LineReassembly(algSessions.capacity(), counters));
    }

    /** With the engine's {@code reassembly}, whose buffers are indexed by the slots of {@code algSessions}. */
    public AlgPacket(ExpectationTable expectations, AlgSessionTable algSessions, long[] counters,
            AlgStatistics statistics, LineReassembly reassembly) {
        this.expectations = expectations;
        this.counters = counters;
        this.statistics = statistics;
        this.rewriter = new PayloadRewriter(algSessions, counters);
        this.reassembly = reassembly;
        this.algSessions = algSessions;
        this.parentCapacity = algSessions.capacity();
    }

    /** The control-line reassembly behind {@link #holdFrom}. */
    public LineReassembly reassembly() {
        return reassembly;
    }

    /**
     * Holds back the payload from {@code offset} (in {@link #segment()}, at or after the end of any span this packet
     * replaced) to its end: the unfinished line the payload ends in. The bytes are cut from this segment and put in
     * front of the next segment of this direction, where this ALG sees them again followed by the rest of the line
     * ({@link LineReassembly} explains the bound and what is done when holding is not possible). Call it last:
     * nothing can be replaced in this packet after it. TCP only. Answers {@link HoldReason#OK} when the bytes are
     * held (or there are none); any other answer leaves the payload as it is, to pass unparsed.
     */
    public HoldReason holdFrom(long offset) {
        HoldReason reason = rewriter.holdTail(reassembly, offset);
        if (reason == HoldReason.OVER_BOUND || reason == HoldReason.NO_BUFFER) {
            countLimitHit();
        }
        return reason;
    }

    /** The ALG's parser found this packet's message malformed: counted as the ALG's {@code parse-errors}. */
    public void countParseError() {
        statistics.count(algId, AlgStatistic.PARSE_ERRORS);
    }

    /** A bound of the ALG's own was reached (a private table full, say): counted as the ALG's {@code limit-hits}. */
    public void countLimitHit() {
        statistics.count(algId, AlgStatistic.LIMIT_HITS);
    }

    /** Replaces spans of this packet's payload, keeping lengths, checksums and TCP sequence numbers right. */
    public PayloadRewriter rewriter() {
        return rewriter;
    }

    /** For the engine: points this view at the packet about to be inspected. */
    public AlgPacket bind(MemorySegment segment, long payloadOffset, int payloadLength, int protocol, int direction,
            long sessionId, long parentSessionId, int parentAlgSlot, int algSlot, int algId, AlgPolicy policy,
            long nowNanos) {
        this.segment = segment;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.protocol = protocol;
        this.direction = direction;
        this.sessionId = sessionId;
        this.parentSessionId = parentSessionId;
        this.parentAlgSlot = parentAlgSlot;
        this.algSlot = algSlot;
        this.algId = algId;
        this.policy = policy;
        this.nowNanos = nowNanos;
        return this;
    }

    /** For the engine: the packet's tuple as it arrived and as it leaves. */
    public void bindTuples(int arrivedSource, int arrivedSourcePort, int arrivedDestination,
            int arrivedDestinationPort, int leavingSource, int leavingSourcePort, int leavingDestination,
            int leavingDestinationPort) {
        arrivedSourceAddress = arrivedSource;
        this.arrivedSourcePort = arrivedSourcePort;
        arrivedDestinationAddress = arrivedDestination;
        this.arrivedDestinationPort = arrivedDestinationPort;
        leavingSourceAddress = leavingSource;
        this.leavingSourcePort = leavingSourcePort;
        leavingDestinationAddress = leavingDestination;
        this.leavingDestinationPort = leavingDestinationPort;
    }

    /** For the engine and the rewriter: the payload moved or changed length. */
    void payload(long offset, int length) {
        payloadOffset = offset;
        payloadLength = length;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Where the L4 payload starts in {@link #segment()}. */
    public long payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** IP protocol: 6 TCP, 17 UDP. */
    public int protocol() {
        return protocol;
    }

    /** {@code Direction.ORIGINAL} (as the control session's first packet) or {@code Direction.REPLY}. */
    public int direction() {
        return direction;
    }

    public long sessionId() {
        return sessionId;
    }

    /**
     * The control session whose expectation admitted this session, when the ALG asked to inspect that child
     * ({@link Expectation#inspectChild()}); 0 for a session the ALG was assigned by its control port.
     */
    public long parentSessionId() {
        return parentSessionId;
    }

    /**
     * Word {@code word} (0 .. {@link AlgSessionTable#STATE_WORDS} - 1) of this ALG's own state for this session: kept
     * between packets, zero in a new session, gone with the session. What the words mean is the ALG's business.
     */
    public long state(int word) {
        return algSessions.state(algSlot, word);
    }

    public void state(int word, long value) {
        algSessions.state(algSlot, word, value);
    }

    /** Whether {@link #parentState} can be read: an inspected child whose parent is still there. */
    public boolean hasParentState() {
        return parentAlgSlot != AlgSessionTable.NONE;
    }

    /** Word {@code word} of the parent's state, for an inspected child ({@link #hasParentState}); read only. */
    public long parentState(int word) {
        if (parentAlgSlot == AlgSessionTable.NONE) {
            throw new IllegalStateException("no parent state: check hasParentState()");
        }
        return algSessions.state(parentAlgSlot, word);
    }

    public long nowNanos() {
        return nowNanos;
    }

    public int arrivedSourceAddress() {
        return arrivedSourceAddress;
    }

    public int arrivedSourcePort() {
        return arrivedSourcePort;
    }

    public int arrivedDestinationAddress() {
        return arrivedDestinationAddress;
    }

    public int arrivedDestinationPort() {
        return arrivedDestinationPort;
    }

    public int leavingSourceAddress() {
        return leavingSourceAddress;
    }

    public int leavingSourcePort() {
        return leavingSourcePort;
    }

    public int leavingDestinationAddress() {
        return leavingDestinationAddress;
    }

    public int leavingDestinationPort() {
        return leavingDestinationPort;
    }

    /** The reusable request to describe a child flow, cleared, with this packet's protocol. */
    public Expectation newExpectation() {
        return request.clear().protocol(protocol);
    }

    /**
     * Stores {@code expectation} with this packet's session as parent, under the ALG's {@link AlgPolicy} (its
     * timeout unless the request names one, its per-parent limit).
     */
    public ExpectationReason expect(Expectation expectation) {
        long seconds = expectation.timeoutSeconds > 0 ? expectation.timeoutSeconds
                : policy.expectationTimeoutSeconds();
        ExpectationReason reason = expectations.add(expectation, algSlot, sessionId, algId,
                policy.maxExpectationsPerParent(), seconds * 1_000_000_000L, nowNanos);
        if (observer != null && (reason == ExpectationReason.CREATED || reason == ExpectationReason.REFRESHED)
                && observer.expected(expectation, algSlot, sessionId, algId, policy.maxExpectationsPerParent(),
                        seconds * 1_000_000_000L, nowNanos)) {
            postedElsewhere[algSlot] = true;
        }
        return reason;
    }

    /** For the engine: who hears of every stored expectation (a multi-worker data plane), or null. */
    public void observer(ExpectationObserver observer) {
        this.observer = observer;
        if (observer != null && postedElsewhere == null) {
            postedElsewhere = new boolean[parentCapacity];
        }
    }

    /** For the engine: the parent in ALG slot {@code slot} ended; its expectations posted elsewhere go too. */
    public void parentEnded(int slot, long parentSessionId) {
        if (postedElsewhere != null && postedElsewhere[slot]) {
            postedElsewhere[slot] = false;
            observer.parentEnded(slot, parentSessionId);
        }
    }

}
