/**
 * RSH ALG ({@code rcmd(3)}/{@code rshd(8)}, tcp/514) with the IDENT expectation (RFC 1413, tcp/113): parses the
 * stderr port a client sends first, rewrites it, and expects the server's stderr and IDENT connections. It uses
 * only {@code alg}, {@code config} and {@code session}, and never allocates per packet.
 * <p>
 * Per-session state: the framework keeps none for an ALG, so {@link dev.algd.engine.alg.rsh.RshAlg} remembers in a
 * bounded table of its own which sessions had their first string inspected.
 * <p>
 * IDENT translation is not done: the query and reply travel on the expected child connection, and the framework
 * inspects no child (Engine: "The child shows its parent's ALG; it is not inspected itself (no ALG slot)"), nor
 * does it offer an ALG the child's parent or that parent's translation. {@code IdentRewriter} (with
 * {@code IdentParser}) is ready for when it does, and tested through the engine with a stand-in ALG: the query's
 * {@code <port-on-server>} (the client's translated control port) becomes the client's own port, and the reply's
 * goes back. What the framework would need: run the parent's ALG on a child flagged as such (an ALG slot for the
 * child, or an {@code onChild} call as architecture.md sketches), and give it the parent's arrived and leaving
 * tuples (the control connection's own and translated ports). {@code in.rshd} of rsh-redone asks no IDENT server
 * (no connection to port 113 in strace), so rsh itself works without the translation.
 */
package dev.algd.engine.alg.rsh;
