/**
 * SunRPC portmapper ALG (RFC 1833, RFC 5531): finds portmap GETPORT and rpcbind GETADDR calls on udp/tcp 111 and
 * expects the client's flow to the port the reply names. It uses only {@code alg}, {@code config} and
 * {@code session}. It keeps no state outside its fixed {@code PendingCalls} table and never allocates per packet.
 */
package dev.algd.engine.alg.rpc;
