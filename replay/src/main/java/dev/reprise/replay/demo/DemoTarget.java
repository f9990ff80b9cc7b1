package dev.reprise.replay.demo;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An e-commerce-like HTTP API on 127.0.0.1 for `reprise demo` and tests: the paths of the bundled
 * sample log, each with its own latency (median and log-normal jitter, answered with a timer so no
 * thread sleeps). Unknown paths get a fast 404, as a real site would.
 *
 * <pre>{@code
 * try (DemoTarget target = DemoTarget.start()) {
 *     URI base = target.uri(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class DemoTarget implements AutoCloseable {
    /** One route: method, path pattern, status, median latency, body size. */
    record Route(HttpMethod method, Pattern path, int status, double medianMillis, int bodyBytes) {
        static Route of(String method, String regex, int status, double medianMillis, int bodyBytes) {
            return new Route(HttpMethod.valueOf(method), Pattern.compile(regex), status, medianMillis, bodyBytes);
        }
    }

    /** The demo site's endpoints; medians chosen so the demo's per-endpoint table shows clear differences. */
    static final List<Route> ROUTES = List.of(
            Route.of("GET", "/", 200, 4, 12_000),
            Route.of("GET", "/categories/[0-9]+", 200, 9, 18_000),
            // the catalogue has products 1000..9999; older ids are gone (404), as in the sample log
            Route.of("GET", "/products/[1-9][0-9]{3}", 200, 6, 24_000),
            Route.of("GET", "/api/products/[1-9][0-9]{3}/reviews", 200, 18, 4_000),
            Route.of("GET", "/search", 200, 35, 16_000),
            Route.of("GET", "/cart", 200, 7, 6_000),
            Route.of("POST", "/cart/items", 201, 14, 300),
            Route.of("GET", "/checkout", 200, 22, 9_000),
            Route.of("POST", "/checkout", 302, 120, 0),
            Route.of("GET", "/orders/[0-9a-fA-F-]{36}", 200, 12, 7_000),
            Route.of("GET", "/login", 200, 5, 5_000),
            Route.of("POST", "/login", 302, 45, 0),
            Route.of("GET", "/robots.txt", 200, 1, 200),
            Route.of("GET", "/sitemap.xml", 200, 3, 40_000));

    private static final double JITTER_SIGMA = 0.35;
    private static final Buffer NOT_FOUND = Buffer.buffer("<html><body><h1>404 Not Found</h1></body></html>");

    private final Vertx vertx;
    private final HttpServer server;
    private final Buffer[] bodies;

    private DemoTarget(Vertx vertx, HttpServer server, Buffer[] bodies) {
        this.vertx = vertx;
        this.server = server;
        this.bodies = bodies;
    }

    /** Starts on 127.0.0.1 on a free port. */
    public static DemoTarget start() {
        return start(0);
    }

    /** Starts on 127.0.0.1:{@code port} (0 = any free port). */
    public static DemoTarget start(int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer[] bodies = new Buffer[ROUTES.size()];
        for (int i = 0; i < bodies.length; i++) {
            byte[] bytes = new byte[ROUTES.get(i).bodyBytes()];
            java.util.Arrays.fill(bytes, (byte) 'x');
            bodies[i] = Buffer.buffer(bytes);
        }
        HttpServer server = vertx.createHttpServer();
        DemoTarget[] self = new DemoTarget[1];
        server.requestHandler(request -> self[0].handle(request));
        try {
            server.listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the demo target could not listen on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
        self[0] = new DemoTarget(vertx, server, bodies);
        return self[0];
    }

    public int port() {
        return server.actualPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        for (int i = 0; i < ROUTES.size(); i++) {
            Route route = ROUTES.get(i);
            if (route.method().equals(request.method()) && route.path().matcher(path).matches()) {
                int index = i;
                long delay = Math.max(1, Math.round(route.medianMillis()
                        * Math.exp(JITTER_SIGMA * ThreadLocalRandom.current().nextGaussian())));
                vertx.setTimer(delay, id -> respond(request, route, bodies[index]));
                return;
            }
        }
        request.response().setStatusCode(404).end(NOT_FOUND);
    }

    private static void respond(HttpServerRequest request, Route route, Buffer body) {
        var response = request.response().setStatusCode(route.status());
        if (route.status() == 302) {
            response.putHeader("Location", "/");
        }
        response.end(body);
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the demo target did not shut down", e);
        }
    }
}
