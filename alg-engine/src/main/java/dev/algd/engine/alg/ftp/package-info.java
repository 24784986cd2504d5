/**
 * FTP control-channel ALG (RFC 959, RFC 1123 §4.1.2.6, RFC 2428): finds PORT/EPRT/227/229 and rewrites them.
 * It uses only {@code alg}, {@code config} and {@code session}. It keeps no per-session state of its own and never
 * allocates per packet.
 */
package dev.algd.engine.alg.ftp;
