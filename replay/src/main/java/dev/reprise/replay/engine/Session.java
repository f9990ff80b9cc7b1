package dev.reprise.replay.engine;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One simulated visitor, owned by one event loop. At most one of its requests is in flight, so the
 * per-request fields below belong to that request. Callbacks are built once per session, not per
 * request.
 */
final class Session {
    final long index;
    final SplittableRandom random;
    final int segment;
    /** Endpoint index of the request being sent or about to be sent. */
    int endpoint;
    /** When the current request should be sent (System.nanoTime clock). */
    long intendedNanos;
    /** When the request got a connection and was written (service time starts here). */
    long sendNanos;
    int status;
    /** Sent in the session header: the session's index, or in exact mode the recorded session id. */
    long sessionId;
    /** Exact mode: the recorded request target; null in the other modes. */
    String recordedUri;
    /** The user agent to send: exact mode the recorded one, model mode one of the segment's; else null. */
    String recordedUserAgent;
    /** The body of the request being sent (shared, never written), or null for none. */
    io.vertx.core.buffer.Buffer body;

    final Function<HttpClientRequest, Future<HttpClientResponse>> writeRequest;
    final Function<HttpClientResponse, Future<Void>> readResponse;
    final Handler<AsyncResult<Void>> onDone;

    Session(long index, SplittableRandom random, int segment, LoopDriver loop) {
        this.index = index;
        this.random = random;
        this.segment = segment;
        this.sessionId = index;
        this.writeRequest = request -> {
            sendNanos = System.nanoTime();
            return body == null ? request.send() : request.send(body);
        };
        this.readResponse = response -> {
            status = response.statusCode();
            response.handler(LoopDriver.DISCARD_BODY);
            return response.end();
        };
        this.onDone = result -> loop.completed(this, result);
    }
}
