/**
 * RSH ALG ({@code rcmd(3)}/{@code rshd(8)}, tcp/514) with the IDENT expectation (RFC 1413, tcp/113): parses the
 * stderr port a client sends first, rewrites it, and expects the server's stderr and IDENT connections. It uses
 * only {@code alg}, {@code config} and {@code session}, and never allocates per packet.
 * <p>
 * Per-session state: the framework's words of ALG state per session ({@code AlgPacket.state}) hold whether the
 * first string was decided, a moved stderr port, and the control connection's ports for the IDENT child.
 * <p>
 * IDENT translation: the query and reply travel on the expected child connection, which the framework hands to
 * this ALG because the expectation asked for it ({@code Expectation.inspectChild()}); it reads the control
 * connection's ports from its parent's state ({@code AlgPacket.parentState}). {@code in.rshd} of
 * rsh-redone asks no IDENT server, so the end-to-end test uses a stand-in rshd that does, against oidentd.
 */
package dev.algd.engine.alg.rsh;
