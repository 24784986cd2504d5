package dev.algd.engine.alg.rpc;

/** What {@link RpcAlg} decided about a parsed message, counted per engine worker: add values at the end. */
public enum RpcEvent {
    /** A GETPORT or GETADDR call was remembered by its xid, to be matched with its reply. */
    CALL_REMEMBERED,
    /** A call was remembered again (a retransmission with the same xid). */
    CALL_RETRANSMITTED,
    /** The pending-call table had no room in the call's set: the oldest entry there was forgotten. */
    PENDING_CALL_EVICTED,
    /** A reply whose xid no pending call of its session has (never asked, forgotten, or already answered). */
    XID_UNMATCHED,
    /** The reply names a port for a program outside the effective program list: nothing expected. */
    PROGRAM_NOT_IN_LIST,
    /** The query named a transport other than IPv4 TCP or UDP (GETPORT prot, GETADDR netid): nothing expected. */
    PROTOCOL_NOT_TRANSLATED,
    /** A GETADDR reply's universal address is not the server's: the client goes elsewhere, nothing expected. */
    ADDRESS_NOT_THE_SERVERS,
    /** The client's flow to the named port was expected (created or refreshed). */
    CHILD_EXPECTED,
    /** The expectation could not be stored (table full, another control session expects the same flow). */
    EXPECTATION_NOT_STORED,
    /** A call from the server or a reply from the client: ignored. */
    WRONG_DIRECTION
}
