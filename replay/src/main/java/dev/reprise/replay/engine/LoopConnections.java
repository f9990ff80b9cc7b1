package dev.reprise.replay.engine;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;

/**
 * The keep-alive connections of one event loop, at most {@code max} of them, each carrying up to its
 * capacity of requests at a time (one for HTTP/1.1, the server's stream limit for HTTP/2).
 *
 * <p>Why not Vert.x's pooled {@code HttpClient.request}: it serves any thread, so each request goes
 * through the pool's lock-free combiner, a lease, a new context and a chain of futures; a JFR profile
 * at 10,000 req/s against nginx put about a third of the event loop's samples there. A loop that owns
 * its connections needs none of that: a request takes an idle connection from a stack and gives it
 * back when its response has ended. It also tells the loop exactly when a request is written, so
 * scheduler lateness is measured up to the real send, queueing for a connection included.
 *
 * <p>Loop thread only; not thread-safe.
 */
final class LoopConnections {
    /** One connection and how many requests it carries now. */
    static final class Link {
        /** The Vert.x connection (HTTPS, HTTP/2), or null on the plain HTTP/1.1 path. */
        final HttpClientConnection connection;
        /** The plain HTTP/1.1 connection, or null on the Vert.x path. */
        PlainHttpConnection plain;
        final int capacity;
        int active;
        boolean closed;
        /** True while the link sits in {@link #available}. */
        boolean listed;

        Link(HttpClientConnection connection, int capacity) {
            this.connection = connection;
            this.capacity = capacity;
        }

        void close() {
            if (plain != null) {
                plain.close();
            } else {
                connection.close();
            }
        }
    }

    /** What the loop hears about connection attempts. */
    interface Listener {
        /** A new connection is available. */
        void connected();

        /** A connection attempt failed; the loop fails one waiting request with {@code cause}. */
        void connectFailed(Throwable cause);
    }

    private final HttpClientAgent client;
    private final HttpConnectOptions connectOptions;
    /** The plain HTTP/1.1 path: its socket client and what its connections report to; else null. */
    private final NetClient netClient;
    private final PlainHttpConnection.Listener plainListener;
    private final Handler<AsyncResult<NetSocket>> onPlainConnect = this::onPlainConnect;
    private final int max;
    private final boolean http2;
    private final Listener listener;
    /** Links with room for another request, most recently used first. */
    private final ArrayDeque<Link> available = new ArrayDeque<>();
    private final Handler<AsyncResult<HttpClientConnection>> onConnect = this::onConnect;
    /** Connections open or being opened. */
    private int open;
    private int connecting;

    LoopConnections(HttpClientAgent client, HttpConnectOptions connectOptions, int max, boolean http2,
                    Listener listener) {
        this.client = client;
        this.connectOptions = connectOptions;
        this.max = max;
        this.http2 = http2;
        this.listener = listener;
        this.netClient = null;
        this.plainListener = null;
    }

    /** Connections of the plain HTTP/1.1 path ({@link PlainHttpConnection}) to {@code connectOptions}' host and port. */
    LoopConnections(NetClient netClient, HttpConnectOptions connectOptions, int max, Listener listener,
                    PlainHttpConnection.Listener plainListener) {
        this.client = null;
        this.connectOptions = connectOptions;
        this.max = max;
        this.http2 = false;
        this.listener = listener;
        this.netClient = netClient;
        this.plainListener = plainListener;
    }

    /**
     * A link with room for one more request, counted as carrying it, or null when none is free (then
     * {@link #connectFor} opens one if the limit allows).
     */
    Link take() {
        Link link;
        while ((link = available.peekFirst()) != null) {
            if (link.closed || link.active >= link.capacity) {
                available.pollFirst();
                link.listed = false;
                continue;
            }
            link.active++;
            if (link.active >= link.capacity) {
                available.pollFirst();
                link.listed = false;
            }
            return link;
        }
        return null;
    }

    /**
     * Gives back a link whose request has ended. When {@code reusable} is false (the HTTP/1.x request
     * failed: reset, timeout, closed; or its response ended the connection) the connection is closed
     * and replaced on demand; an HTTP/2 stream failure does not affect the connection's other streams.
     */
    void release(Link link, boolean reusable) {
        link.active--;
        if (link.closed) {
            return;
        }
        if (!reusable && !http2) {
            markClosed(link);
            link.close();
            return;
        }
        if (!link.listed) {
            link.listed = true;
            available.addFirst(link);
        }
    }

    /**
     * Opens connections for {@code waiting} requests that found none free (or, at the start, for the
     * requests to come), within the limit.
     */
    void connectFor(int waiting) {
        // an HTTP/2 connection serves many requests: open one at a time
        int wanted = http2 ? Math.min(1, waiting) : waiting;
        while (connecting < wanted && open < max) {
            open++;
            connecting++;
            if (netClient != null) {
                netClient.connect(connectOptions.getPort(), connectOptions.getHost()).onComplete(onPlainConnect);
            } else {
                client.connect(connectOptions).onComplete(onConnect);
            }
        }
    }

    private void onConnect(AsyncResult<HttpClientConnection> result) {
        connecting--;
        if (result.failed()) {
            open--;
            listener.connectFailed(result.cause());
            return;
        }
        HttpClientConnection connection = result.result();
        int capacity = http2 ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, connection.maxActiveStreams())) : 1;
        Link link = new Link(connection, capacity);
        connection.closeHandler(ignored -> markClosed(link));
        link.listed = true;
        available.addFirst(link);
        listener.connected();
    }

    private void onPlainConnect(AsyncResult<NetSocket> result) {
        connecting--;
        if (result.failed()) {
            open--;
            listener.connectFailed(result.cause());
            return;
        }
        Link link = new Link(null, 1);
        link.plain = new PlainHttpConnection((NetSocketInternal) result.result(), plainListener, () -> markClosed(link));
        link.listed = true;
        available.addFirst(link);
        listener.connected();
    }

    private void markClosed(Link link) {
        if (!link.closed) {
            link.closed = true;
            open--;
        }
    }
}
