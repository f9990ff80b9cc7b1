package dev.reprise.samples;

/**
 * The endpoints of the sample shop, as the log shows them: method and URL template. The demo
 * target serves exactly these paths.
 *
 * <p>The body size of a successful response is lognormal around {@code okBytesMedian} with
 * {@code okBytesSigma} (gzip-compressed HTML or JSON; static files have one fixed size). Pages are
 * the HTML documents a browser shows; the last page a visitor saw is the referer of their next
 * request.
 */
enum Endpoint {
    HOME("GET", "/", Kind.PAGE, 200, 14_800, 0.12),
    CATEGORY("GET", "/categories/{id}", Kind.PAGE, 200, 11_900, 0.25),
    PRODUCT("GET", "/products/{id}", Kind.PAGE, 200, 9_600, 0.35),
    REVIEWS("GET", "/api/products/{id}/reviews", Kind.API, 200, 2_300, 0.70),
    SEARCH("GET", "/search", Kind.PAGE, 200, 12_400, 0.45),
    CART("GET", "/cart", Kind.PAGE, 200, 6_100, 0.30),
    CART_ADD("POST", "/cart/items", Kind.API, 201, 310, 0.15),
    CHECKOUT("GET", "/checkout", Kind.PAGE, 200, 8_800, 0.10),
    CHECKOUT_SUBMIT("POST", "/checkout", Kind.REDIRECT, 302, 138, 0.02),
    ORDER("GET", "/orders/{uuid}", Kind.PAGE, 200, 7_300, 0.15),
    LOGIN("GET", "/login", Kind.PAGE, 200, 5_100, 0.0),
    LOGIN_SUBMIT("POST", "/login", Kind.REDIRECT, 302, 138, 0.02),
    ROBOTS("GET", "/robots.txt", Kind.STATIC, 200, 412, 0.0),
    SITEMAP("GET", "/sitemap.xml", Kind.STATIC, 200, 61_847, 0.0),
    SCAN_DOT_ENV("GET", "/.env", Kind.PROBE, 404, 153, 0.0),
    SCAN_WP_LOGIN("GET", "/wp-login.php", Kind.PROBE, 404, 153, 0.0),
    SCAN_GIT_CONFIG("GET", "/.git/config", Kind.PROBE, 404, 153, 0.0),
    SCAN_ADMIN_CONFIG("GET", "/admin/config.php", Kind.PROBE, 404, 153, 0.0),
    SCAN_PHPMYADMIN("GET", "/phpmyadmin/index.php", Kind.PROBE, 404, 153, 0.0),
    SCAN_WP_SETUP("GET", "/wp-admin/setup-config.php", Kind.PROBE, 404, 153, 0.0),
    SCAN_AWS_CREDENTIALS("GET", "/.aws/credentials", Kind.PROBE, 404, 153, 0.0),
    SCAN_PHPUNIT("GET", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", Kind.PROBE, 404, 153, 0.0);

    /** What a response is, which decides referers and sizes. */
    enum Kind {
        /** An HTML page a person looks at; it becomes the referer of the next request. */
        PAGE,
        /** A JSON call made from a page (XHR/fetch). */
        API,
        /** A form POST answered with 302; the browser follows it at once. */
        REDIRECT,
        /** A static file with one fixed size. */
        STATIC,
        /** A vulnerability scanner's probe for a path the shop does not have. */
        PROBE
    }

    private static final Endpoint[] VALUES = values();

    final String method;
    final String template;
    final Kind kind;
    /** The status of the normal response (before 404s for unknown products and rare 500s). */
    final int okStatus;
    final double okBytesMedian;
    final double okBytesSigma;
    /** For endpoints without slots: the literal path. */
    final String literalPath;

    Endpoint(String method, String template, Kind kind, int okStatus, double okBytesMedian, double okBytesSigma) {
        this.method = method;
        this.template = template;
        this.kind = kind;
        this.okStatus = okStatus;
        this.okBytesMedian = okBytesMedian;
        this.okBytesSigma = okBytesSigma;
        this.literalPath = template.contains("{") || template.equals("/search") ? null : template;
    }

    /** The key used in the ground truth's transitions, e.g. {@code GET /products/{id}}. */
    String key() {
        return method + " " + template;
    }

    static Endpoint of(int ordinal) {
        return VALUES[ordinal];
    }

    static int count() {
        return VALUES.length;
    }
}
