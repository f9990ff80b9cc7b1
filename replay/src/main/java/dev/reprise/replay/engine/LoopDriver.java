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
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
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
 *
 * <p>Transport: a plain {@code http://} target without {@code --http2} is spoken to through
 * {@link PlainHttpConnection} (request bytes from {@link Http1Requests}, responses framed by
 * {@link Http1ResponseParser}); HTTPS and HTTP/2 through Vert.x's {@code HttpClient}. Both end a
 * request in {@link #completed}, so measurement, timeouts and error classes are the same.
 */
final class LoopDriver extends VerticleBase implements LoopConnections.Listener, PlainHttpConnection.Listener {
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
    /**
     * The shortest gap between two ticks. Each tick costs a timer (a syscall pair on epoll); at tens of
     * thousands of requests per second one tick per request would cost more than the requests, so a
     * tick is never armed sooner than this after now and sends everything due by then. It bounds the
     * scheduler's added lateness at 0.2 ms, far below the 2 ms the issue allows.
     */
    static final long MIN_TICK_GAP_NANOS = 200_000L;

    private final Handler<Void> tickHandler = ignored -> tick();
    /** Requests due and counted in flight that wait for a free connection, oldest first. */
    private final ArrayDeque<Session> waiting = new ArrayDeque<>();
    /** Ended sessions, reused for the next arrivals (no allocation per request in mix and exact mode). */
    private final ArrayDeque<Session> spare = new ArrayDeque<>();
    private final String basePath;
    private final long timeoutMillis;
    /**
     * Per endpoint: method, idle timeout, user agent and extra headers, built once. A request copies
     * them when it is created; its URI and session header are set on the request itself.
     */
    private final RequestOptions[] endpointOptions;
    /** Per endpoint, its request body (--bodies), or null; built once, shared by requests. */
    private final Buffer[] bodies;
    private final long timeoutNanos;
    /**
     * Written requests without a response yet, oldest first. Every request has the same timeout, so
     * the oldest is the first to time out and a periodic sweep looks at the head only: this replaces
     * one Netty timer per request (scheduled on write, cancelled on response) with one list link.
     */
    private Session oldestWritten;
    private Session newestWritten;
    private final Handler<Long> sweepHandler = ignored -> sweepTimedOut();
    private long sweepTimerId = -1;
    private HttpClientAgent client;
    private NetClient netClient;
    /**
     * The plain HTTP/1.1 path ({@link PlainHttpConnection}): every {@code http://} target unless
     * {@code --http2}; Vert.x's HttpClient serves HTTPS and HTTP/2. Null on the Vert.x path.
     */
    private final Http1Requests plainRequests;
    private LoopConnections connections;
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
        this.basePath = plan.basePath();
        this.timeoutMillis = plan.options().timeout().toMillis();
        this.timeoutNanos = plan.options().timeout().toNanos();
        CharSequence userAgent = HttpHeaders.createOptimized(EnginePlan.USER_AGENT);
        this.endpointOptions = new RequestOptions[methods.length];
        this.bodies = new Buffer[methods.length];
        for (int i = 0; i < methods.length; i++) {
            RequestOptions options = new RequestOptions().setMethod(methods[i]).setURI("/")
                    .putHeader(HttpHeaders.USER_AGENT, userAgent);
            for (int h = 0; h < extraHeaderNames.length; h++) {
                options.putHeader(extraHeaderNames[h], extraHeaderValues[h]);
            }
            byte[] body = plan.options().bodies().body(i);
            if (body != null) {
                bodies[i] = Buffer.buffer(body);
                options.putHeader(HttpHeaders.CONTENT_TYPE, HttpHeaders.createOptimized(plan.options().bodies().contentType(i)));
            }
            endpointOptions[i] = options;
        }
        this.plainRequests = usesPlainHttp(plan) ? plainRequests(plan, methods) : null;
    }

    /** Whether the loops of {@code plan} speak HTTP/1.1 through {@link PlainHttpConnection}. */
    static boolean usesPlainHttp(EnginePlan plan) {
        return !plan.isHttps() && !plan.options().http2();
    }

    private static Http1Requests plainRequests(EnginePlan plan, HttpMethod[] methods) {
        String[] names = new String[methods.length];
        byte[][] bodies = new byte[methods.length][];
        String[] contentTypes = new String[methods.length];
        for (int i = 0; i < methods.length; i++) {
            names[i] = methods[i].name();
            bodies[i] = plan.options().bodies().body(i);
            contentTypes[i] = bodies[i] == null ? null : plan.options().bodies().contentType(i);
        }
        String host = plan.host().contains(":") && !plan.host().startsWith("[") ? "[" + plan.host() + "]" : plan.host();
        String hostHeader = plan.port() == 80 ? host : host + ":" + plan.port();
        return new Http1Requests(names, bodies, contentTypes, hostHeader, plan.basePath(), EnginePlan.USER_AGENT,
                new java.util.TreeMap<>(plan.options().extraHeaders()), plan.options().sessionHeader());
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
        HttpConnectOptions connectOptions = new HttpConnectOptions().setHost(plan.host()).setPort(plan.port())
                .setSsl(plan.isHttps()).setConnectTimeout(timeoutMillis);
        if (plainRequests != null) {
            netClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)));
            connections = new LoopConnections(netClient, connectOptions, plan.options().connectionsPerLoop(), this, this);
        } else {
            client = vertx.createHttpClient(httpOptions);
            connections = new LoopConnections(client, connectOptions, plan.options().connectionsPerLoop(),
                    plan.options().http2(), this);
        }
        // a response is declared timed out between 1x and 1.05x the timeout after its request was written
        sweepTimerId = vertx.setPeriodic(Math.max(1, Math.min(100, timeoutMillis / 20)), sweepHandler);
        // Open the connections now, in the 200 ms before offset 0, as wrk does before it measures, so that
        // connects are not part of the schedule. A connect that fails now costs nothing: the first
        // requests connect again, and their failures are counted.
        connections.connectFor(plan.options().connectionsPerLoop());
        arm(plan.runStartNanos());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (timer != null) {
            timer.cancel();
        }
        if (sweepTimerId >= 0) {
            vertx.cancelTimer(sweepTimerId);
        }
        if (netClient != null) {
            return netClient.close();
        }
        return client == null ? Future.succeededFuture() : client.close();
    }

    private void tick() {
        timer = null;
        timerDeadlineNanos = Long.MAX_VALUE;
        long now = System.nanoTime();
        // a tick that comes late, even past the end, sends everything that was due before the end: falling
        // behind shows as lateness, never as requests silently left out of the schedule
        long until = Math.min(now, plan.endNanos() - 1);
        startArrivedSessions(until);
        while (!due.isEmpty() && due.peek().intendedNanos <= until) {
            send(due.poll());
        }
        if (now >= plan.endNanos()) {
            stopScheduling();
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
                Session request = newSession(index, null, -1);
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
                Session request = newSession(index, random, -1);
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
            Session session = newSession(index, random, segment);
            session.recordedUserAgent = model.pickUserAgent(segment, index, plan.options().seed());
            session.endpoint = first;
            session.intendedNanos = intended;
            send(session);
        }
    }

    private Session newSession(long index, SplittableRandom random, int segment) {
        Session s = spare.pollFirst();
        return (s == null ? new Session(this) : s).reset(index, random, segment);
    }

    private void send(Session s) {
        if (inflight >= maxInflight) {
            // over the in-flight budget: the request is dropped (counted) and the visitor moves on as if
            // it had been answered at its intended time, so the schedule keeps its shape
            LoopMetrics.increment(metrics.dropped);
            advance(s, s.intendedNanos);
            return;
        }
        inflight++;
        metrics.inflight.lazySet(inflight);
        LoopMetrics.increment(metrics.sent, s.endpoint);
        s.status = 0;
        LoopConnections.Link link = waiting.isEmpty() ? connections.take() : null;
        if (link == null) {
            waiting.addLast(s);
            connections.connectFor(waiting.size());
            return;
        }
        dispatch(s, link);
    }

    /** Creates the request of {@code s} on {@code link}; {@link #write} sends it. */
    private void dispatch(Session s, LoopConnections.Link link) {
        s.link = link;
        if (link.plain != null) {
            writePlain(s, link.plain);
            return;
        }
        link.connection.request(endpointOptions[s.endpoint]).onComplete(s.onRequest);
    }

    /** The plain HTTP/1.1 path: encodes the request of {@code s} and writes it on {@code connection}. */
    private void writePlain(Session s, PlainHttpConnection connection) {
        String uri = s.recordedUri != null ? s.recordedUri : model.sampleUri(s.endpoint, s.random);
        io.netty.buffer.ByteBuf bytes = plainRequests.encode(connection.alloc(), s.endpoint, uri, s.recordedUserAgent,
                s.sessionId);
        written(s);
        connection.send(s, bytes, plainRequests.isHead(s.endpoint));
    }

    /** Lateness runs to the real send, so time spent waiting for a free connection counts as late. */
    private void written(Session s) {
        long now = System.nanoTime();
        s.sendNanos = now;
        metrics.recordLateness((now - s.intendedNanos) / 1000);
        s.listed = true;
        s.olderWritten = newestWritten;
        if (newestWritten != null) {
            newestWritten.newerWritten = s;
        } else {
            oldestWritten = s;
        }
        newestWritten = s;
    }

    @Override
    public void responded(Session s, int status, boolean keepsConnection) {
        s.status = status;
        s.keepsConnection = keepsConnection;
        completed(s, null);
    }

    @Override
    public void failed(Session s, Throwable cause) {
        completed(s, cause);
    }

    /** Called on this loop when the request of {@code s} exists on its connection: fills it in and sends it. */
    void write(Session s, AsyncResult<HttpClientRequest> created) {
        if (created.failed()) {
            completed(s, created.cause());
            return;
        }
        HttpClientRequest request = created.result();
        String uri = s.recordedUri != null ? s.recordedUri : model.sampleUri(s.endpoint, s.random);
        request.setURI(basePath.isEmpty() ? uri : basePath + uri);
        if (s.recordedUserAgent != null && !s.recordedUserAgent.isEmpty()) {
            request.putHeader(HttpHeaders.USER_AGENT, s.recordedUserAgent);
        }
        if (sessionHeader != null) {
            request.putHeader(sessionHeader, Long.toString(s.sessionId));
        }
        s.request = request;
        written(s);
        Buffer body = bodies[s.endpoint];
        (body == null ? request.send() : request.send(body)).onComplete(s.onResponse);
    }

    /** Takes {@code s} out of the list of written requests, if it is in it. */
    private void unlistWritten(Session s) {
        if (!s.listed) {
            return;
        }
        s.listed = false;
        if (s.olderWritten != null) {
            s.olderWritten.newerWritten = s.newerWritten;
        } else {
            oldestWritten = s.newerWritten;
        }
        if (s.newerWritten != null) {
            s.newerWritten.olderWritten = s.olderWritten;
        } else {
            newestWritten = s.olderWritten;
        }
        s.olderWritten = null;
        s.newerWritten = null;
        s.request = null;
    }

    /** Resets every written request whose response has not come within the timeout. */
    private void sweepTimedOut() {
        long now = System.nanoTime();
        Session s;
        while ((s = oldestWritten) != null && now - s.sendNanos >= timeoutNanos) {
            HttpClientRequest request = s.request;
            LoopConnections.Link link = s.link;
            unlistWritten(s);
            s.timedOut = true;
            TimeoutException timeout = new TimeoutException("no response within " + timeoutMillis + " ms");
            // fails the response, which ends the request through completed()
            if (request != null) {
                request.reset(0, timeout);
            } else {
                link.plain.abort(timeout);
            }
        }
    }

    /** Sends waiting requests while connections are free; asks for more connections when none is. */
    private void drainWaiting() {
        while (!waiting.isEmpty()) {
            LoopConnections.Link link = connections.take();
            if (link == null) {
                connections.connectFor(waiting.size());
                return;
            }
            dispatch(waiting.pollFirst(), link);
        }
    }

    @Override
    public void connected() {
        drainWaiting();
    }

    @Override
    public void connectFailed(Throwable cause) {
        Session s = waiting.pollFirst();
        if (s != null) {
            completed(s, cause);
        }
    }

    /** Called on this loop when a request of {@code s} ends: {@code failure} is null on a response. */
    void completed(Session s, Throwable failure) {
        long now = System.nanoTime();
        inflight--;
        metrics.inflight.lazySet(inflight);
        unlistWritten(s);
        if (s.link != null) {
            connections.release(s.link, failure == null && s.keepsConnection);
            s.link = null;
        }
        int endpoint = s.endpoint;
        // a request that failed before it was written has no send time: its service time is its latency
        long sentNanos = s.sendNanos != Session.NOT_SENT ? s.sendNanos : s.intendedNanos;
        long latencyMicros = (now - s.intendedNanos) / 1000;
        long serviceMicros = (now - sentNanos) / 1000;
        if (failure == null) {
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
            String errorClass = s.timedOut ? "timeout" : classify(failure);
            metrics.countError(errorClass);
            if (errorClass.equals("timeout")) {
                // a timed-out request took at least this long: leaving it out would hide a stall
                metrics.recordLatency(endpoint, latencyMicros, serviceMicros);
            }
        }
        s.sendNanos = Session.NOT_SENT;
        s.timedOut = false;
        advance(s, now);
        drainWaiting();
        if (isDone()) {
            finished.tryComplete();
        }
    }

    /** Moves the session to its next request after a think time, or ends it. */
    private void advance(Session s, long fromNanos) {
        if (plan.isMix() || plan.isExact()) {
            spare.addFirst(s);
            return;
        }
        int edge = model.pickEdge(s.segment, s.endpoint, s.random);
        int next = model.edgeTarget(s.segment, edge);
        if (next == SessionModel.EXIT) {
            spare.addFirst(s);
            return;
        }
        double thinkMillis = model.sampleThinkMillis(s.segment, edge, s.random);
        long intended = fromNanos + (long) (thinkMillis * 1_000_000 / plan.options().speed());
        if (stopping || intended >= plan.endNanos()) {
            LoopMetrics.increment(metrics.sessionsCut);
            spare.addFirst(s);
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

    /**
     * Whether the connection stays open after {@code response}: a target that ends keep-alive (nginx
     * after keepalive_requests) says so in the response, and the connection must not carry another request.
     */
    static boolean keepsConnection(HttpClientResponse response) {
        if (response.version() == HttpVersion.HTTP_2) {
            return true;
        }
        String connection = response.getHeader(HttpHeaders.CONNECTION);
        if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
            return false;
        }
        return response.version() != HttpVersion.HTTP_1_0
                || connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
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
            if (t instanceof Http1ResponseParser.MalformedResponseException) {
                return "protocol_error";
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
