/**
 * TFTP ALG (RFC 1350, RFC 2347): finds RRQ/WRQ on the control session and expects the server's reply from its new
 * transfer identifier. It uses only {@code alg}, {@code config} and {@code session}. It keeps no per-session state,
 * rewrites no payload and never allocates per packet.
 */
package dev.algd.engine.alg.tftp;
