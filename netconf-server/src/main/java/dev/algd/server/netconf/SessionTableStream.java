package dev.algd.server.netconf;

import dev.algd.engine.SessionView;
import dev.algd.io.DataPlaneGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opendaylight.netconf.api.NamespaceURN;
import org.opendaylight.netconf.api.messages.FramingMechanism;
import org.opendaylight.netconf.api.messages.NetconfMessage;
import org.opendaylight.netconf.codec.MessageEncoder;
import org.opendaylight.netconf.transport.api.TransportChannel;
import org.opendaylight.netconf.transport.api.TransportChannelListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.ProcessingInstruction;

/**
 * Writes the whole session table of a {@code <get>} reply to the channel a few chunks at a time, so that a table of
 * 100 000 sessions never exists in the daemon as one list, DOM, string or buffer: the sessions are read from the
 * workers a page at a time ({@link SessionTableWalk}) as the SSH channel takes the writes they are rendered into,
 * so memory does not grow with the table. The rows are what each worker held when its page was read
 * ({@code conntrack -L}'s semantics, not a point-in-time snapshot), and the summary counts them.
 * <p>
 * {@link SessionTableGet} leaves a {@link #placeholder} where the table belongs; OpenDaylight's session sends that
 * reply like any other, and this handler, on the outbound path before OpenDaylight's message encoder, takes it over:
 * it serialises the rest of the reply with the session's own writer, and writes the table's rows in between, framed
 * as the session's encoder frames (RFC 6242 chunks for base:1.1, the end-of-message mark for base:1.0).
 * <p>
 * Back-pressure: at most {@link #IN_FLIGHT} writes of about {@link #WRITE_CHARS} of XML each are pending, and the
 * next rows are rendered when the SSH channel has taken one (its writes complete as the client's window opens;
 * {@link SshWrites} passes them on one at a time). Messages sent meanwhile (replies to pipelined requests,
 * notifications) wait here and follow the table in order.
 */
final class SessionTableStream extends ChannelOutboundHandlerAdapter {
    private static final String TARGET = "algd-session-table";
    /** XML of the table per write; about 200 sessions. */
    private static final int WRITE_CHARS = 128 * 1024;
    /**
     * RFC 6242 chunk size. ncclient 0.6 re-decodes all it has buffered of a chunk at every 4 KiB it reads and pays a
     * fixed cost per chunk: framing 12.5 MB took it about 0.6-0.8 s in 8 KiB chunks (OpenDaylight's size), 0.04-0.5 s
     * in 32 KiB ones, and more again from 128 KiB up.
     */
    private static final int CHUNK_BYTES = 32 * 1024;
    /** Two: the next write is ready when the SSH channel takes the last. */
    private static final int IN_FLIGHT = 2;
    private static final byte[] MARK = ("<?" + TARGET).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MARK_END = "?>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_CHUNKS = "\n##\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_MESSAGE = "]]>]]>".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger(SessionTableStream.class);

    private record Queued(Object message, ChannelPromise promise) {
    }

    private final DataPlaneGroup dataPlane;
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private Reply current;

    private SessionTableStream(DataPlaneGroup dataPlane) {
        this.dataPlane = dataPlane;
    }

    /** {@code listener}'s channel set-up, plus this handler just before OpenDaylight's message encoder. */
    static TransportChannelListener<TransportChannel> around(TransportChannelListener<TransportChannel> listener,
            DataPlaneGroup dataPlane) {
        return new TransportChannelListener<>() {
            @Override
            public void onTransportChannelEstablished(TransportChannel channel) {
                listener.onTransportChannelEstablished(channel);
                var pipeline = channel.channel().pipeline();
                SshWrites.install(pipeline);
                pipeline.addAfter(pipeline.context(MessageEncoder.class).name(), TARGET,
                        new SessionTableStream(dataPlane));
            }

            @Override
            public void onTransportChannelFailed(Throwable cause) {
                listener.onTransportChannelFailed(cause);
            }
        };
    }

    /** Where the session table goes in {@code data}, once the reply is on its way. */
    static Node placeholder(Document reply) {
        return reply.createProcessingInstruction(TARGET, "rows");
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (current != null) {
            queued.add(new Queued(message, promise));
        } else if (message instanceof NetconfMessage reply && hasPlaceholder(reply.getDocument())) {
            try {
                start(ctx, reply, promise);
            } catch (Exception e) {
                LOG.error("session table reply failed", e);
                if (current == null) {
                    ctx.write(new NetconfMessage(RpcReplies.failure(reply.getDocument(), "application",
                            "operation-failed", "the session table could not be read")), promise);
                } else {
                    // Part of the reply is out: nothing else can be framed after it.
                    current.failed(e);
                    ctx.close();
                }
            }
        } else {
            ctx.write(message, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (current == null) {
            ctx.flush();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (current != null) {
            current.failed(new ClosedChannelException());
        }
    }

    private static boolean hasPlaceholder(Document document) {
        Node data = document.getDocumentElement().getLastChild();
        while (data != null
                && !(NamespaceURN.BASE.equals(data.getNamespaceURI()) && "data".equals(data.getLocalName()))) {
            data = data.getPreviousSibling();
        }
        return data != null && data.getLastChild() instanceof ProcessingInstruction pi && TARGET.equals(pi.getTarget());
    }

    private void start(ChannelHandlerContext ctx, NetconfMessage reply, ChannelPromise promise) throws Exception {
        MessageEncoder encoder = ctx.pipeline().get(MessageEncoder.class);
        var text = new ByteArrayOutputStream();
        encoder.writer().writeMessage(reply, text);
        byte[] bytes = text.toByteArray();
        int mark = indexOf(bytes, MARK, 0);
        int markEnd = indexOf(bytes, MARK_END, mark) + MARK_END.length;
        var walk = new SessionTableWalk(dataPlane, "a streamed <get>");
        List<SessionView> page = new ArrayList<>(SessionTableWalk.PAGE_SESSIONS);
        // The first page is read before anything is sent: if the workers do not answer, the reply is an rpc-error.
        walk.next(page);
        current = new Reply(ctx, promise, encoder.framing().mechanism() == FramingMechanism.CHUNK,
                Arrays.copyOfRange(bytes, 0, mark), walk, page, Arrays.copyOfRange(bytes, markEnd, bytes.length));
        current.pump();
    }

    private static int indexOf(byte[] bytes, byte[] what, int from) {
        outer:
        for (int i = from; i <= bytes.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no session-table placeholder in the serialised reply");
    }

    /** Writes queued messages until one of them is a table again. */
    private void finished(ChannelHandlerContext ctx) {
        current = null;
        while (current == null && !queued.isEmpty()) {
            Queued next = queued.poll();
            try {
                write(ctx, next.message(), next.promise());
            } catch (Exception e) {
                next.promise().setFailure(e);
            }
        }
        if (current == null) {
            ctx.flush();
        }
    }

    /** One reply being written: its head, the rows, the summary and its tail. */
    private final class Reply {
        private final ChannelHandlerContext ctx;
        private final ChannelPromise promise;
        private final boolean chunked;
        private final SessionTableWalk walk;
        /**
         * The page being written, from {@link #next} on; the walk's next page is read as soon as this one is written,
         * so that an empty page means the table is written.
         */
        private final List<SessionView> page;
        private final byte[] tail;
        private final StringBuilder rows = new StringBuilder(WRITE_CHARS + 4096);
        private byte[] head;
        private int next;
        private int written;
        private int inFlight;
        private boolean lastWritten;
        private boolean done;
        private final long started = System.nanoTime();

        Reply(ChannelHandlerContext ctx, ChannelPromise promise, boolean chunked, byte[] head,
                SessionTableWalk walk, List<SessionView> firstPage, byte[] tail) {
            this.ctx = ctx;
            this.promise = promise;
            this.chunked = chunked;
            this.head = head;
            this.walk = walk;
            this.page = firstPage;
            this.tail = tail;
        }

        /** Renders and writes rows until {@link #IN_FLIGHT} writes are pending or the reply is out. */
        void pump() {
            // A write may complete at once and call back here: state is settled before each write.
            while (!lastWritten && !done && inFlight < IN_FLIGHT) {
                rows.setLength(0);
                if (head != null) {
                    SessionTableXml.openTable(rows);
                }
                while (next < page.size() && rows.length() < WRITE_CHARS) {
                    SessionTableXml.session(rows, page.get(next++));
                    written++;
                    if (next == page.size()) {
                        walk.next(page);
                        next = 0;
                    }
                }
                boolean last = page.isEmpty();
                if (last) {
                    SessionTableXml.closeTable(rows, walk.summary());
                }
                ByteBuf body = ctx.alloc().buffer(rows.length() + 64 + (head == null ? 0 : head.length)
                        + (last ? tail.length + 16 : 0));
                if (head != null) {
                    body.writeBytes(head);
                    head = null;
                }
                ByteBufUtil.writeUtf8(body, rows);
                if (last) {
                    body.writeBytes(tail);
                }
                lastWritten = last;
                write(frame(body, last), last);
            }
            ctx.flush();
        }

        private ByteBuf frame(ByteBuf body, boolean last) {
            if (!chunked) {
                return last ? body.writeBytes(END_OF_MESSAGE) : body;
            }
            int length = body.readableBytes();
            ByteBuf framed = ctx.alloc().buffer(length + (length / CHUNK_BYTES + 1) * 8 + END_OF_CHUNKS.length);
            while (body.isReadable()) {
                int size = Math.min(CHUNK_BYTES, body.readableBytes());
                framed.writeBytes(("\n#" + size + "\n").getBytes(StandardCharsets.US_ASCII)).writeBytes(body, size);
            }
            body.release();
            return last ? framed.writeBytes(END_OF_CHUNKS) : framed;
        }

        private void write(ByteBuf framed, boolean last) {
            inFlight++;
            ctx.write(framed).addListener(future -> {
                inFlight--;
                if (done) {
                    return;
                }
                if (!future.isSuccess()) {
                    failed(future.cause());
                } else if (last) {
                    done = true;
                    LOG.info("session table of {} sessions streamed in {} ms", written,
                            (System.nanoTime() - started) / 1_000_000);
                    promise.setSuccess();
                    finished(ctx);
                } else {
                    try {
                        pump();
                    } catch (RuntimeException e) {
                        // Part of the reply is out: nothing else can be framed after it.
                        LOG.error("session table reply failed", e);
                        failed(e);
                        ctx.close();
                    }
                }
            });
        }

        void failed(Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            LOG.warn("session table reply not sent: {}", cause.toString());
            promise.tryFailure(cause);
            current = null;
            queued.forEach(q -> q.promise().tryFailure(cause));
            queued.clear();
        }
    }
}
