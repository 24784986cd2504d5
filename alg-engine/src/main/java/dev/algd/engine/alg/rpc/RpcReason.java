package dev.algd.engine.alg.rpc;

/**
 * The answer of {@link RpcMessageParser}, and the index of {@link RpcAlg}'s parse counters: add values at the end.
 */
public enum RpcReason {
    /** A portmap GETPORT or rpcbind GETADDR call with its arguments, or a successful reply with its result read. */
    OK,
    /** A well-formed CALL of another program or procedure (DUMP, NULL, SET...): passed, nothing to expect. */
    NOT_A_PORT_QUERY,
    /** A well-formed REPLY whose result was not asked for (the caller did not know which call it answers). */
    REPLY_NOT_READ,
    /** Fewer bytes than the fixed part of a CALL or REPLY header. */
    TOO_SHORT,
    /** The message type is neither CALL (0) nor REPLY (1) (RFC 5531 §9). */
    UNKNOWN_MESSAGE_TYPE,
    /** A CALL whose rpcvers is not 2 (RFC 5531 §8). */
    RPC_VERSION_NOT_2,
    /** A credential or verifier body longer than 400 bytes (RFC 5531 §8.2: {@code opaque body<400>}). */
    AUTH_TOO_LONG,
    /** A credential, verifier, argument or result runs past the end of the message. */
    TRUNCATED,
    /** A GETADDR string (netid, address, owner, universal address) longer than its bound. */
    STRING_TOO_LONG,
    /** reply_stat is MSG_DENIED (1), or another value (RFC 5531 §9). */
    REPLY_DENIED,
    /** accept_stat is not SUCCESS (RFC 5531 §9: PROG_UNAVAIL, PROC_UNAVAIL...). */
    NOT_SUCCESS,
    /** The GETPORT result is 0 or the GETADDR result empty: the program is not registered (RFC 1833 §3.1, §3.2). */
    NOT_REGISTERED,
    /** A GETPORT result above 65535. */
    PORT_OVER_65535,
    /** A GETADDR result that is not an IPv4 universal address {@code h1.h2.h3.h4.p1.p2} (RFC 5665 §5.2.3.3). */
    BAD_UNIVERSAL_ADDRESS,
    /** TCP: the record is not complete in these bytes yet (RFC 5531 §11). */
    INCOMPLETE,
    /** TCP: the record is longer than {@link RpcMessageParser#MAX_RECORD_BYTES}. */
    RECORD_TOO_LONG,
    /** TCP: the record has more than {@link RpcMessageParser#MAX_FRAGMENTS} fragments. */
    TOO_MANY_FRAGMENTS;

    /**
     * Whether the message or record was malformed, counted as the RPC ALG's parse errors; a well-formed message the
     * ALG has no use for (another procedure, a refusal, an unregistered program) is not.
     */
    public boolean isMalformed() {
        return switch (this) {
            case OK, NOT_A_PORT_QUERY, REPLY_NOT_READ, REPLY_DENIED, NOT_SUCCESS, NOT_REGISTERED, INCOMPLETE -> false;
            default -> true;
        };
    }
}
