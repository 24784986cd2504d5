/**
 * The ALG framework: the {@link dev.algd.engine.alg.Alg} contract every protocol implements, the registry that maps
 * flows to ALGs from config, expectations of child flows, per-session ALG state and the shared payload rewriter.
 * Depends on dev.algd.engine.config, packet and session; protocol packages (alg.ftp, ...) depend on it, never the
 * reverse. Nothing protocol-specific lives here, and nothing here allocates per packet.
 */
package dev.algd.engine.alg;
