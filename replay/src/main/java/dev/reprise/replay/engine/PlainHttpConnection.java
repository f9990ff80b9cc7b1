package dev.reprise.replay.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * One HTTP/1.1 keep-alive connection to a plain {@code http://} target, carrying one request at a time:
 * the request's bytes (encoded by {@link Http1Requests}) are written straight to the Netty channel, and
 * the response is read by {@link Http1ResponseParser}, which keeps the status and the framing and
 * skips the body.
 *
 * <p>Why not Vert.x's {@code HttpClient} here: per request it builds a request and a response object,
 * header maps and futures, and Netty's codec decodes every response header into strings; at 10,000
 * req/s against nginx that was most of the event loop's 22.5 µs per request (JFR, see
 * docs/performance.md). This is the client side Vert.x recommends for custom protocols: a Vert.x
 * {@code NetClient} socket ({@code NetSocketInternal}) whose raw buffers go to our handler. HTTPS and
 * HTTP/2 keep Vert.x's {@code HttpClient}.
 *
 * <p>Loop thread only.
 */
final class PlainHttpConnection {
    /** What the loop hears about the request in flight and about the connection. */
    interface Listener {
        /** The response to {@code s} is complete. */
        void responded(Session s, int status, boolean keepsConnection);

        /** The request of {@code s} failed (reset, closed before the response ended, malformed response). */
        void failed(Session s, Throwable cause);
    }

    private final NetSocketInternal socket;
    private final ChannelHandlerContext context;
    private final Listener listener;
    private final Runnable onClosed;
    private final Http1ResponseParser parser = new Http1ResponseParser();
    /** The session whose request is in flight on this connection, or null. */
    private Session current;
    private boolean closed;

    PlainHttpConnection(NetSocketInternal socket, Listener listener, Runnable onClosed) {
        this.socket = socket;
        this.context = socket.channelHandlerContext();
        this.listener = listener;
        this.onClosed = onClosed;
        socket.messageHandler(this::received);
        socket.exceptionHandler(this::failedWith);
        socket.closeHandler(ignored -> closedByPeerOrUs());
    }

    ByteBufAllocator alloc() {
        return context.alloc();
    }

    /** Writes {@code request} (released by the write) for {@code s}; the connection must be idle. */
    void send(Session s, ByteBuf request, boolean head) {
        if (current != null) {
            ReferenceCountUtil.release(request);
            throw new IllegalStateException("a request is already in flight on this connection");
        }
        current = s;
        parser.start(head);
        if (closed) {
            ReferenceCountUtil.release(request);
            fail(new HttpClosedException("Connection was closed"));
            return;
        }
        context.writeAndFlush(request, context.voidPromise());
    }

    /** Ends the request in flight with {@code cause} (the loop's timeout) and closes the connection. */
    void abort(Throwable cause) {
        fail(cause);
        close();
    }

    void close() {
        if (!closed) {
            socket.close();
        }
    }

    private void received(Object message) {
        try {
            if (!(message instanceof ByteBuf in)) {
                return;
            }
            if (current == null) {
                // bytes with no request in flight belong to nothing: the connection cannot be trusted
                close();
                return;
            }
            if (parser.feed(in)) {
                Session s = current;
                current = null;
                listener.responded(s, parser.status(), parser.keepsConnection());
            }
        } catch (Http1ResponseParser.MalformedResponseException e) {
            fail(e);
            close();
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void failedWith(Throwable cause) {
        // Netty closes the channel after an I/O error; the close handler then finds nothing in flight
        fail(cause);
        close();
    }

    private void closedByPeerOrUs() {
        closed = true;
        onClosed.run();
        if (current != null) {
            if (parser.closed()) {
                Session s = current;
                current = null;
                listener.responded(s, parser.status(), false);
            } else {
                fail(new HttpClosedException("Connection was closed"));
            }
        }
    }

    private void fail(Throwable cause) {
        Session s = current;
        if (s != null) {
            current = null;
            listener.failed(s, cause);
        }
    }
}
