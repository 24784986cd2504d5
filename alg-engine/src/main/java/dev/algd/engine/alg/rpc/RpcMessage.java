package dev.algd.engine.alg.rpc;

/**
 * One ONC RPC message as {@link RpcMessageParser} found it (RFC 5531 §9, XDR big-endian, every field 4 bytes):
 * <pre>
 *  CALL:   xid | 0 | rpcvers=2 | prog | vers | proc | cred flavor | cred len | cred body (padded)
 *          | verf flavor | verf len | verf body (padded) | arguments
 *  REPLY:  xid | 1 | reply_stat=0 | verf flavor | verf len | verf body (padded) | accept_stat=0 | results
 *
 *  portmap v2 GETPORT (RFC 1833 §3.1), proc 3:  args  prog | vers | prot (6, 17) | port     result  port
 *  rpcbind v3/v4 GETADDR (RFC 1833 §2.2), proc 3: args prog | vers | netid | addr | owner   result  uaddr
 *  (netid, addr, owner and uaddr are XDR strings: length, bytes, zero padding to 4)
 * </pre>
 * One per ALG, reused for every message; fields not set by the last parse are zero.
 */
final class RpcMessage {
    static final int CALL = 0;
    static final int REPLY = 1;
    /** What a CALL asks, and so how its REPLY's result is read. */
    static final int QUERY_NONE = 0;
    static final int QUERY_GETPORT = 1;
    static final int QUERY_GETADDR = 2;
    static final long PROGRAM_PORTMAP = 100_000;
    static final int PROCEDURE_GETPORT = 3;
    static final int PROCEDURE_GETADDR = 3;

    int xid;
    int messageType;
    /** CALL: the program, version and procedure called. */
    long program;
    long version;
    long procedure;
    /** CALL: {@link #QUERY_GETPORT}, {@link #QUERY_GETADDR} or {@link #QUERY_NONE}. */
    int query;
    /** GETPORT/GETADDR arguments: the program and version asked for. */
    long queriedProgram;
    long queriedVersion;
    /** GETPORT {@code prot}; GETADDR netid "tcp" 6, "udp" 17, anything else 0 (udp6, tcp6, local...). */
    int queriedProtocol;
    /** REPLY result: the port (GETPORT) or the universal address's address and port (GETADDR). */
    int resultAddress;
    int resultPort;

    RpcMessage clear() {
        xid = 0;
        messageType = 0;
        program = 0;
        version = 0;
        procedure = 0;
        query = QUERY_NONE;
        queriedProgram = 0;
        queriedVersion = 0;
        queriedProtocol = 0;
        resultAddress = 0;
        resultPort = 0;
        return this;
    }
}
