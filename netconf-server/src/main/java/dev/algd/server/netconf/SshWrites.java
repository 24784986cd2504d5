package dev.algd.server.netconf;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;

/**
 * Hands OpenDaylight's SSH bridge one write at a time, the next once the last has completed and its completion has
 * returned. The bridge (transport-ssh's OutboundChannelHandler) writes into SSHD's channel stream, which takes one
 * write at a time and still counts the last one pending while it tells its listeners that it completed: a write
 * issued from such a listener (the bridge's own queue, or a promise listener it completes) fails with a
 * WritePendingException, and the session stops. A streamed session table, writing its next rows as the last were
 * taken, did just that. Here the next write is issued from a fresh event-loop task instead.
 */
final class SshWrites extends ChannelOutboundHandlerAdapter {
    private static final String NAME = "algdSshWrites";
    private static final String BRIDGE = "OutboundChannelHandler";

    private record Write(Object message, ChannelPromise promise) {
    }

    private final ArrayDeque<Write> waiting = new ArrayDeque<>();
    private boolean writing;

    private SshWrites() {
    }

    /** Puts this handler right above the SSH bridge, where every NETCONF write passes. */
    static void install(ChannelPipeline pipeline) {
        for (var entry : pipeline) {
            if (entry.getValue().getClass().getSimpleName().equals(BRIDGE)) {
                pipeline.addAfter(entry.getKey(), NAME, new SshWrites());
                return;
            }
        }
        throw new IllegalStateException("no " + BRIDGE + " in " + pipeline.names());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        waiting.add(new Write(message, promise));
        if (!writing) {
            next(ctx);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        Write write = waiting.poll();
        if (write == null) {
            return;
        }
        writing = true;
        ctx.writeAndFlush(write.message()).addListener(future -> {
            if (future.isSuccess()) {
                write.promise().trySuccess();
            } else {
                write.promise().tryFailure(future.cause());
            }
            ctx.executor().execute(() -> {
                writing = false;
                next(ctx);
            });
        });
    }
}
