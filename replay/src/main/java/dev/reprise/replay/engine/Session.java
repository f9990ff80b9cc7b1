package dev.reprise.replay.engine;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.SplittableRandom;

/**
 * One simulated visitor (in mix and exact mode: one request), owned by one event loop. At most one of
 * its requests is in flight, so the per-request fields below belong to that request. Callbacks are
 * built once per object, and the loop reuses ended sessions ({@link #reset}), so sending a request
 * allocates no session and no callback.
 */
final class Session {
    long index;
    SplittableRandom random;
    int segment;
    /** Endpoint index of the request being sent or about to be sent. */
    int endpoint;
    /** When the current request should be sent (System.nanoTime clock). */
    long intendedNanos;
    static final long NOT_SENT = Long.MIN_VALUE;
    /** When the request was written to its connection (service time starts here), or {@link #NOT_SENT}. */
    long sendNanos = NOT_SENT;
    int status;
    /** False when the response ends its connection (HTTP/1.x {@code Connection: close}, or HTTP/1.0 without keep-alive). */
    boolean keepsConnection;
    /** Sent in the session header: the session's index, or in exact mode the recorded session id. */
    long sessionId;
    /** Exact mode: the recorded request target; null in the other modes. */
    String recordedUri;
    /** The user agent to send: exact mode the recorded one, model mode one of the segment's; else null. */
    String recordedUserAgent;
    /** The connection carrying the request in flight, or null. */
    LoopConnections.Link link;
    /** The Vert.x request written and not answered yet, or null (always null on the plain HTTP/1.1 path). */
    HttpClientRequest request;
    /** True while the request is in the loop's list of written requests. */
    boolean listed;
    /** Neighbours in the loop's list of written requests (oldest first), while {@link #listed}. */
    Session olderWritten;
    Session newerWritten;
    /** Set when the loop reset the request because its response did not come within the timeout. */
    boolean timedOut;

    final Handler<AsyncResult<HttpClientRequest>> onRequest;
    final Handler<AsyncResult<HttpClientResponse>> onResponse;
    final Handler<AsyncResult<Void>> onDone;

    Session(LoopDriver loop) {
        this.onRequest = result -> loop.write(this, result);
        this.onDone = result -> loop.completed(this, result.failed() ? result.cause() : null);
        this.onResponse = result -> {
            if (result.failed()) {
                loop.completed(this, result.cause());
                return;
            }
            HttpClientResponse response = result.result();
            status = response.statusCode();
            keepsConnection = LoopDriver.keepsConnection(response);
            response.handler(LoopDriver.DISCARD_BODY);
            response.end().onComplete(this.onDone);
        };
    }

    /** Makes this object the session {@code index}; every per-request field is cleared. */
    Session reset(long index, SplittableRandom random, int segment) {
        this.index = index;
        this.random = random;
        this.segment = segment;
        this.sessionId = index;
        this.endpoint = 0;
        this.intendedNanos = 0;
        this.sendNanos = NOT_SENT;
        this.status = 0;
        this.keepsConnection = false;
        this.recordedUri = null;
        this.recordedUserAgent = null;
        this.link = null;
        this.request = null;
        this.listed = false;
        this.olderWritten = null;
        this.newerWritten = null;
        this.timedOut = false;
        return this;
    }
}
