/**
 * RSH ALG ({@code rcmd(3)}/{@code rshd(8)}, tcp/514) with the IDENT expectation (RFC 1413, tcp/113): parses the
 * stderr port a client sends first, rewrites it, and expects the server's stderr and IDENT connections. It uses
 * only {@code alg}, {@code config} and {@code session}, and never allocates per packet.
 * <p>
 * Per-session state: the framework keeps none for an ALG, so {@link dev.algd.engine.alg.rsh.RshAlg} remembers in a
 * bounded table of its own which sessions had their first string inspected.
 * <p>
 * IDENT translation: the query and reply travel on the expected child connection, which the framework hands to
 * this ALG because the expectation asked for it ({@code Expectation.inspectChild()}); the child's packets carry
 * their parent's session id, under which the ALG remembered the control connection's ports. {@code in.rshd} of
 * rsh-redone asks no IDENT server, so the end-to-end test uses a stand-in rshd that does, against oidentd.
 */
package dev.algd.engine.alg.rsh;
