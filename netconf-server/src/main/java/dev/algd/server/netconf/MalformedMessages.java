package dev.algd.server.netconf;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.opendaylight.netconf.api.messages.NetconfMessage;
import org.opendaylight.netconf.codec.MessageDecoder;
import org.opendaylight.netconf.server.ServerTransportInitializer;
import org.opendaylight.netconf.transport.api.TransportChannel;
import org.opendaylight.netconf.transport.api.TransportChannelListener;
import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

/**
 * A framed message that is not well-formed XML gets an rpc-error malformed-message (RFC 6241 Appendix A, error-type
 * rpc) and the session goes on. OpenDaylight's decoder passes the parse failure up the pipeline as a message, and
 * its session turns that into an exception that closes the session; this handler, right after the decoder,
 * answers it instead. The reply has no message-id: none can be read from a message that does not parse.
 * A malformed {@code <hello>} is left to OpenDaylight, which ends the session as RFC 6241 §8.1 wants.
 */
final class MalformedMessages extends ChannelInboundHandlerAdapter {
    private static final String NAME = "algdMalformedMessages";
    /** NetconfSessionNegotiator puts the session in the pipeline under this name once the hellos are done. */
    private static final String SESSION_HANDLER = "session";

    /** OpenDaylight's channel set-up, plus this handler after the message decoder. */
    static TransportChannelListener<TransportChannel> around(ServerTransportInitializer initializer) {
        return new TransportChannelListener<>() {
            @Override
            public void onTransportChannelEstablished(TransportChannel channel) {
                initializer.onTransportChannelEstablished(channel);
                channel.channel().pipeline().addAfter(MessageDecoder.HANDLER_NAME, NAME, new MalformedMessages());
            }

            @Override
            public void onTransportChannelFailed(Throwable cause) {
                initializer.onTransportChannelFailed(cause);
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof SAXParseException failure && ctx.pipeline().context(SESSION_HANDLER) != null) {
            ctx.channel().writeAndFlush(new NetconfMessage(reply(failure)));
            return;
        }
        ctx.fireChannelRead(message);
    }

    private static Document reply(SAXParseException failure) {
        return RpcReplies.failureWithoutMessageId("rpc", "malformed-message", "the message is not well-formed XML "
                + "(line " + failure.getLineNumber() + ", column " + failure.getColumnNumber() + "): "
                + failure.getMessage());
    }
}
