package dev.reprise.replay.engine;

import dev.reprise.replay.Shard;
import dev.reprise.replay.schedule.Arrivals;
import dev.reprise.replay.schedule.RecordedArrivals;
import dev.reprise.replay.schedule.SessionArrivals;
import dev.reprise.replay.schedule.SessionModel;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Timer;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives the sessions of one event loop. Scheduling is by time, not by sleeping: a tick starts every
 * session whose arrival time has come and sends every request whose intended time has come, then
 * re-arms one timer for the earliest next intended time, in nanoseconds (on Linux the epoll transport
 * honours sub-millisecond deadlines; NIO elsewhere rounds them up to milliseconds). A request that
 * becomes due earlier than the armed timer re-arms it. Timer jitter is harmless because latency is measured from the intended
 * time, and the scheduler's own lateness is recorded. Sessions with
 * {@code index % loops == loopIndex} belong to this loop; each loop runs its own copy of the arrival
 * sequence, which is deterministic, so the loops together send each session exactly once.
 *
 * <p>Open model: a session's next request is scheduled from its previous response plus a sampled
 * think time; no session ever waits for another.
 */
final class LoopDriver extends VerticleBase {
    static final Handler<Buffer> DISCARD_BODY = chunk -> { };

    private final int loopIndex;
    private final EnginePlan plan;
    private final SessionModel model;
    private final Arrivals arrivals;
    private final LoopMetrics metrics;
    private final HttpMethod[] methods;
    private final PriorityQueue<Session> due =
            new PriorityQueue<>((a, b) -> Long.compare(a.intendedNanos, b.intendedNanos));
    private final Promise<Void> finished = Promise.promise();
    private final int maxInflight;
    private final Shard shard;
    /** Header names as Netty AsciiStrings, built once (STYLE.md hot path rule 6). */
    private final CharSequence sessionHeader;
    private final CharSequence[] extraHeaderNames;
    private final CharSequence[] extraHeaderValues;
    /** Per endpoint, its request body and Content-Type (--bodies), or null; built once, shared by requests. */
    private final Buffer[] bodies;
    private final CharSequence[] bodyContentTypes;
    /**
     * The shortest gap between two ticks. Each tick costs a timer (a syscall pair on epoll); at tens of
     * thousands of requests per second one tick per request would cost more than the requests, so a
     * tick is never armed sooner than this after now and sends everything due by then. It bounds the
     * scheduler's added lateness at 0.2 ms, far below the 2 ms the issue allows.
     */
    static final long MIN_TICK_GAP_NANOS = 200_000L;

    private final Handler<Void> tickHandler = ignored -> tick();
    private HttpClient client;
    /** The armed timer, or null. */
    private Timer timer;
    /** System.nanoTime the armed timer fires at (about); Long.MAX_VALUE when none is armed. */
    private long timerDeadlineNanos = Long.MAX_VALUE;
    private int inflight;
    private boolean stopping;

    LoopDriver(int loopIndex, EnginePlan plan, LoopMetrics metrics) {
        this.loopIndex = loopIndex;
        this.plan = plan;
        this.model = plan.model();
        this.metrics = metrics;
        this.arrivals = plan.newArrivals();
        this.methods = new HttpMethod[model.endpointCount()];
        for (int i = 0; i < methods.length; i++) {
            methods[i] = HttpMethod.valueOf(model.endpoint(i).method().toUpperCase(Locale.ROOT));
        }
        // the in-flight budget is shared evenly between loops; each loop enforces its part alone
        this.maxInflight = Math.max(1, plan.options().maxInflight() / plan.loops());
        this.shard = plan.options().shard();
        String header = plan.options().sessionHeader();
        this.sessionHeader = header == null ? null : HttpHeaders.createOptimized(header);
        java.util.Map<String, String> extra = new java.util.TreeMap<>(plan.options().extraHeaders());
        this.extraHeaderNames = extra.keySet().stream().map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);
        this.extraHeaderValues = extra.values().stream().map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);
        this.bodies = new Buffer[methods.length];
        this.bodyContentTypes = new CharSequence[methods.length];
        for (int i = 0; i < methods.length; i++) {
            byte[] body = plan.options().bodies().body(i);
            if (body != null) {
                bodies[i] = Buffer.buffer(body);
                bodyContentTypes[i] = HttpHeaders.createOptimized(plan.options().bodies().contentType(i));
            }
        }
    }

    /** Completes when this loop has sent its last request and every response (or failure) is in. */
    Future<Void> finished() {
        return finished.future();
    }

    @Override
    public Future<?> start() {
        HttpClientOptions httpOptions = new HttpClientOptions()
                .setKeepAlive(true)
                .setSsl(plan.isHttps())
                .setDefaultHost(plan.host())
                .setDefaultPort(plan.port())
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, plan.options().timeout().toMillis()))
                .setMaxRedirects(0);
        if (plan.options().http2()) {
            // h2c with prior knowledge (no HTTP/1.1 upgrade round trip); over TLS, ALPN negotiates h2
            httpOptions.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                    .setUseAlpn(plan.isHttps());
        }
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(plan.options().connectionsPerLoop())
                .setHttp2MaxSize(plan.options().connectionsPerLoop())
                .setMaxWaitQueueSize(-1);
        client = vertx.createHttpClient(httpOptions, pool);
        arm(plan.runStartNanos());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (timer != null) {
            timer.cancel();
        }
        return client == null ? Future.succeededFuture() : client.close();
    }

    private void tick() {
        timer = null;
        timerDeadlineNanos = Long.MAX_VALUE;
        long now = System.nanoTime();
        if (now >= plan.endNanos()) {
            stopScheduling();
        } else {
            startArrivedSessions(now);
            while (!due.isEmpty() && due.peek().intendedNanos <= now) {
                send(due.poll());
            }
        }
        if (isDone()) {
            finished.tryComplete();
            return;
        }
        if (!stopping) {
            arm(nextDueNanos());
        }
    }

    /** The earliest intended time of a due request or an arrival, or the end of the run. */
    private long nextDueNanos() {
        long next = plan.endNanos();
        if (!due.isEmpty()) {
            next = Math.min(next, due.peek().intendedNanos);
        }
        if (arrivals.hasNext()) {
            next = Math.min(next, plan.runStartNanos() + arrivals.peekOffsetNanos());
        }
        return next;
    }

    /**
     * Arms the timer for {@code atNanos}, but no sooner than {@link #MIN_TICK_GAP_NANOS} from now, unless
     * one is armed for no later than that.
     */
    private void arm(long atNanos) {
        long now = System.nanoTime();
        long at = Math.max(atNanos, now + MIN_TICK_GAP_NANOS);
        if (timer != null && timerDeadlineNanos <= at) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerDeadlineNanos = at;
        timer = vertx.timer(at - now, TimeUnit.NANOSECONDS);
        timer.onSuccess(tickHandler);
    }

    private void startArrivedSessions(long now) {
        while (arrivals.hasNext()) {
            long intended = plan.runStartNanos() + arrivals.peekOffsetNanos();
            if (intended > now) {
                return;
            }
            long index = arrivals.next();
            // first this generator's shard, then this loop's share of it
            if (!shard.owns(index) || (index / shard.count()) % plan.loops() != loopIndex) {
                continue;
            }
            if (plan.isExact()) {
                int recorded = ((RecordedArrivals) arrivals).requestOf(index);
                Session request = new Session(index, null, -1, this);
                request.endpoint = plan.recordedEndpoints()[recorded];
                request.recordedUri = plan.recording().targets()[recorded];
                request.recordedUserAgent = plan.recording().userAgents()[recorded];
                request.sessionId = plan.recording().sessionIds()[recorded];
                request.intendedNanos = intended;
                send(request);
                continue;
            }
            SplittableRandom random = new SplittableRandom(SessionArrivals.mix(plan.options().seed() ^ 0x5E5510L, index));
            if (plan.isMix()) {
                Session request = new Session(index, random, -1, this);
                request.endpoint = model.pickEndpoint(random);
                request.intendedNanos = intended;
                send(request);
                continue;
            }
            int segment = model.pickSegment(index, plan.options().seed());
            int first = model.edgeTarget(segment, model.pickEdge(segment, SessionModel.START, random));
            LoopMetrics.increment(metrics.sessionsStarted);
            if (first == SessionModel.EXIT) {
                continue;
            }
            Session session = new Session(index, random, segment, this);
            session.recordedUserAgent = model.pickUserAgent(segment, index, plan.options().seed());
            session.endpoint = first;
            session.intendedNanos = intended;
            send(session);
        }
    }

    private void send(Session s) {
        if (inflight >= maxInflight) {
            // over the in-flight budget: the request is dropped (counted) and the visitor moves on as if
            // it had been answered at its intended time, so the schedule keeps its shape
            LoopMetrics.increment(metrics.dropped);
            advance(s, s.intendedNanos);
            return;
        }
        int endpoint = s.endpoint;
        RequestOptions request = new RequestOptions()
                .setMethod(methods[endpoint])
                .setHost(plan.host())
                .setPort(plan.port())
                .setURI(plan.basePath() + (s.recordedUri != null ? s.recordedUri : model.sampleUri(endpoint, s.random)))
                .setTimeout(plan.options().timeout().toMillis())
                .putHeader(HttpHeaders.USER_AGENT, s.recordedUserAgent != null && !s.recordedUserAgent.isEmpty()
                        ? s.recordedUserAgent : EnginePlan.USER_AGENT);
        if (sessionHeader != null) {
            request.putHeader(sessionHeader, Long.toString(s.sessionId));
        }
        s.body = bodies[endpoint];
        if (s.body != null) {
            request.putHeader(HttpHeaders.CONTENT_TYPE, bodyContentTypes[endpoint]);
        }
        for (int h = 0; h < extraHeaderNames.length; h++) {
            request.putHeader(extraHeaderNames[h], extraHeaderValues[h]);
        }
        inflight++;
        metrics.inflight.lazySet(inflight);
        LoopMetrics.increment(metrics.sent, endpoint);
        s.status = 0;
        long dispatchNanos = System.nanoTime();
        // until a pooled connection takes the request, service time has not started
        s.sendNanos = dispatchNanos;
        metrics.recordLateness((dispatchNanos - s.intendedNanos) / 1000);
        client.request(request).compose(s.writeRequest).compose(s.readResponse).onComplete(s.onDone);
    }

    /** Called on this loop when a request of {@code s} ends, successfully or not. */
    void completed(Session s, AsyncResult<Void> result) {
        long now = System.nanoTime();
        inflight--;
        metrics.inflight.lazySet(inflight);
        int endpoint = s.endpoint;
        long latencyMicros = (now - s.intendedNanos) / 1000;
        long serviceMicros = (now - s.sendNanos) / 1000;
        if (result.succeeded()) {
            LoopMetrics.increment(metrics.completed, endpoint);
            if (s.status > 0 && s.status < 600) {
                LoopMetrics.increment(metrics.statuses, s.status);
            }
            if (s.status >= 500) {
                LoopMetrics.increment(metrics.errors, endpoint);
                metrics.countError("http_" + s.status);
            }
            metrics.recordLatency(endpoint, latencyMicros, serviceMicros);
        } else {
            LoopMetrics.increment(metrics.errors, endpoint);
            String errorClass = classify(result.cause());
            metrics.countError(errorClass);
            if (errorClass.equals("timeout")) {
                // a timed-out request took at least this long: leaving it out would hide a stall
                metrics.recordLatency(endpoint, latencyMicros, serviceMicros);
            }
        }
        advance(s, now);
        if (isDone()) {
            finished.tryComplete();
        }
    }

    /** Moves the session to its next request after a think time, or ends it. */
    private void advance(Session s, long fromNanos) {
        if (plan.isMix() || plan.isExact()) {
            return;
        }
        int edge = model.pickEdge(s.segment, s.endpoint, s.random);
        int next = model.edgeTarget(s.segment, edge);
        if (next == SessionModel.EXIT) {
            return;
        }
        double thinkMillis = model.sampleThinkMillis(s.segment, edge, s.random);
        long intended = fromNanos + (long) (thinkMillis * 1_000_000 / plan.options().speed());
        if (stopping || intended >= plan.endNanos()) {
            LoopMetrics.increment(metrics.sessionsCut);
            return;
        }
        s.endpoint = next;
        s.intendedNanos = intended;
        due.add(s);
        arm(intended);
    }

    private void stopScheduling() {
        if (!stopping) {
            stopping = true;
            for (int i = due.size(); i > 0; i--) {
                LoopMetrics.increment(metrics.sessionsCut);
            }
            due.clear();
        }
    }

    private boolean isDone() {
        return inflight == 0 && due.isEmpty() && (stopping || !arrivals.hasNext());
    }

    /** Short, stable names for transport failures, as they appear in results and thresholds. */
    static String classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (t instanceof ConnectException) {
                return "connect_refused";
            }
            if (t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return "unreachable";
            }
            if (t instanceof HttpClosedException) {
                return "connection_closed";
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("connection reset")) {
                return "reset";
            }
            if (message.contains("connection refused")) {
                return "connect_refused";
            }
        }
        return "other:" + cause.getClass().getSimpleName();
    }
}
