package dev.reprise.samples;

import static dev.reprise.samples.Endpoint.CART;
import static dev.reprise.samples.Endpoint.CART_ADD;
import static dev.reprise.samples.Endpoint.CATEGORY;
import static dev.reprise.samples.Endpoint.CHECKOUT;
import static dev.reprise.samples.Endpoint.CHECKOUT_SUBMIT;
import static dev.reprise.samples.Endpoint.HOME;
import static dev.reprise.samples.Endpoint.LOGIN;
import static dev.reprise.samples.Endpoint.LOGIN_SUBMIT;
import static dev.reprise.samples.Endpoint.ORDER;
import static dev.reprise.samples.Endpoint.PRODUCT;
import static dev.reprise.samples.Endpoint.REVIEWS;
import static dev.reprise.samples.Endpoint.ROBOTS;
import static dev.reprise.samples.Endpoint.SCAN_ADMIN_CONFIG;
import static dev.reprise.samples.Endpoint.SCAN_AWS_CREDENTIALS;
import static dev.reprise.samples.Endpoint.SCAN_DOT_ENV;
import static dev.reprise.samples.Endpoint.SCAN_GIT_CONFIG;
import static dev.reprise.samples.Endpoint.SCAN_PHPMYADMIN;
import static dev.reprise.samples.Endpoint.SCAN_PHPUNIT;
import static dev.reprise.samples.Endpoint.SCAN_WP_LOGIN;
import static dev.reprise.samples.Endpoint.SCAN_WP_SETUP;
import static dev.reprise.samples.Endpoint.SEARCH;
import static dev.reprise.samples.Endpoint.SITEMAP;

import java.util.SplittableRandom;

/**
 * The planted behaviour segments: each is a navigation chain and a think-time distribution.
 *
 * <p>Think time (from one request's start to the next's) is lognormal with the segment's median
 * and {@link #THINK_SIGMA}, capped at {@link #THINK_CAP_MILLIS}; after a 302 the browser follows
 * the redirect at once, so think time after a {@link Endpoint.Kind#REDIRECT} endpoint is lognormal
 * around {@link #REDIRECT_MEDIAN_MILLIS} instead, whatever the segment.
 */
enum Segment {
    BROWSER("browser", 12_000, NavigationChain.builder()
            .fromStart().to(HOME, 0.55).to(CATEGORY, 0.25).to(PRODUCT, 0.15).to(SEARCH, 0.05)
            .from(HOME).to(CATEGORY, 0.58).to(PRODUCT, 0.22).to(SEARCH, 0.07).to(LOGIN, 0.03).toExit(0.10)
            .from(CATEGORY).to(PRODUCT, 0.66).to(CATEGORY, 0.12).to(HOME, 0.07).toExit(0.15)
            .from(PRODUCT).to(REVIEWS, 0.22).to(PRODUCT, 0.24).to(CATEGORY, 0.29).to(HOME, 0.06)
                    .to(CART_ADD, 0.05).toExit(0.14)
            .from(REVIEWS).to(PRODUCT, 0.60).to(CATEGORY, 0.22).toExit(0.18)
            .from(SEARCH).to(PRODUCT, 0.70).to(CATEGORY, 0.12).toExit(0.18)
            .from(CART_ADD).to(CART, 0.55).to(PRODUCT, 0.30).toExit(0.15)
            .from(CART).to(PRODUCT, 0.35).to(HOME, 0.20).to(CHECKOUT, 0.10).toExit(0.35)
            .from(CHECKOUT).to(HOME, 0.30).toExit(0.70)
            .from(LOGIN).to(LOGIN_SUBMIT, 0.85).toExit(0.15)
            .from(LOGIN_SUBMIT).to(HOME, 0.80).to(CATEGORY, 0.20)
            .build()),
    SEARCHER("searcher", 8_000, NavigationChain.builder()
            .fromStart().to(SEARCH, 0.75).to(HOME, 0.15).to(PRODUCT, 0.10)
            .from(HOME).to(SEARCH, 0.80).to(CATEGORY, 0.10).toExit(0.10)
            .from(SEARCH).to(PRODUCT, 0.64).to(SEARCH, 0.26).toExit(0.10)
            .from(PRODUCT).to(SEARCH, 0.43).to(PRODUCT, 0.16).to(REVIEWS, 0.18).to(CART_ADD, 0.05).toExit(0.18)
            .from(REVIEWS).to(PRODUCT, 0.45).to(SEARCH, 0.33).toExit(0.22)
            .from(CATEGORY).to(PRODUCT, 0.60).to(SEARCH, 0.20).toExit(0.20)
            .from(CART_ADD).to(CART, 0.60).to(SEARCH, 0.30).toExit(0.10)
            .from(CART).to(SEARCH, 0.35).to(CHECKOUT, 0.15).toExit(0.50)
            .from(CHECKOUT).to(CHECKOUT_SUBMIT, 0.40).toExit(0.60)
            .from(CHECKOUT_SUBMIT).to(ORDER, 0.97).toExit(0.03)
            .from(ORDER).to(SEARCH, 0.15).toExit(0.85)
            .build()),
    BUYER("buyer", 20_000, NavigationChain.builder()
            .fromStart().to(PRODUCT, 0.50).to(HOME, 0.20).to(SEARCH, 0.20).to(CART, 0.10)
            .from(HOME).to(PRODUCT, 0.50).to(CATEGORY, 0.30).to(SEARCH, 0.20)
            .from(CATEGORY).to(PRODUCT, 0.90).toExit(0.10)
            .from(SEARCH).to(PRODUCT, 0.90).toExit(0.10)
            .from(PRODUCT).to(CART_ADD, 0.55).to(PRODUCT, 0.25).to(REVIEWS, 0.15).toExit(0.05)
            .from(REVIEWS).to(PRODUCT, 0.50).to(CART_ADD, 0.40).toExit(0.10)
            .from(CART_ADD).to(CART, 0.65).to(PRODUCT, 0.30).toExit(0.05)
            .from(CART).to(CHECKOUT, 0.75).to(PRODUCT, 0.15).toExit(0.10)
            .from(CHECKOUT).to(CHECKOUT_SUBMIT, 0.65).to(LOGIN, 0.25).toExit(0.10)
            .from(LOGIN).to(LOGIN_SUBMIT, 0.95).toExit(0.05)
            .from(LOGIN_SUBMIT).to(CHECKOUT, 0.90).to(HOME, 0.10)
            .from(CHECKOUT_SUBMIT).to(ORDER, 0.97).toExit(0.03)
            .from(ORDER).to(HOME, 0.15).to(PRODUCT, 0.05).toExit(0.80)
            .build()),
    /**
     * Crawlers (robots.txt, sitemap, then the catalogue) and vulnerability scanners (probes that
     * 404) in one chain; the two halves never mix, so a visit is one or the other from its first
     * request.
     */
    BOT("bot", 2_000, scannerRows(NavigationChain.builder()
            .fromStart().to(ROBOTS, 0.50).to(SITEMAP, 0.08).to(PRODUCT, 0.08).to(CATEGORY, 0.04)
                    .to(SCAN_DOT_ENV, 0.06).to(SCAN_WP_LOGIN, 0.06).to(SCAN_GIT_CONFIG, 0.04)
                    .to(SCAN_ADMIN_CONFIG, 0.04).to(SCAN_PHPMYADMIN, 0.03).to(SCAN_WP_SETUP, 0.03)
                    .to(SCAN_AWS_CREDENTIALS, 0.02).to(SCAN_PHPUNIT, 0.02)
            .from(ROBOTS).to(SITEMAP, 0.65).to(PRODUCT, 0.20).to(CATEGORY, 0.12).toExit(0.03)
            .from(SITEMAP).to(PRODUCT, 0.65).to(CATEGORY, 0.35)
            .from(PRODUCT).to(PRODUCT, 0.80).to(CATEGORY, 0.17).toExit(0.03)
            .from(CATEGORY).to(PRODUCT, 0.82).to(CATEGORY, 0.14).toExit(0.04))
            .build());

    /** Sigma of the lognormal think time, shared by all segments. */
    static final double THINK_SIGMA = 0.7;
    /** Think times are capped well below the 30-minute sessionization gap. */
    static final long THINK_CAP_MILLIS = 20 * 60 * 1000L;
    /** Median delay between a 302 and the request that follows it. */
    static final double REDIRECT_MEDIAN_MILLIS = 250;
    static final double REDIRECT_SIGMA = 0.5;

    private static final Segment[] VALUES = values();

    final String label;
    final double thinkMedianMillis;
    final NavigationChain chain;

    Segment(String label, double thinkMedianMillis, NavigationChain chain) {
        this.label = label;
        this.thinkMedianMillis = thinkMedianMillis;
        this.chain = chain;
    }

    /** Whether this segment's visitors are people (browsers) rather than bots. */
    boolean isHuman() {
        return this != BOT;
    }

    /** The think time before the request that follows {@code from}, in whole milliseconds. */
    long thinkMillis(Endpoint from, SplittableRandom random) {
        double millis = from.kind == Endpoint.Kind.REDIRECT
                ? Draws.logNormal(random, REDIRECT_MEDIAN_MILLIS, REDIRECT_SIGMA)
                : Draws.logNormal(random, thinkMedianMillis, THINK_SIGMA);
        return Math.min(Math.round(millis), THINK_CAP_MILLIS);
    }

    static Segment of(int ordinal) {
        return VALUES[ordinal];
    }

    /** Every probe leads to each of the other probes with 0.13, or away with 0.09. */
    private static NavigationChain.Builder scannerRows(NavigationChain.Builder builder) {
        Endpoint[] probes = {SCAN_DOT_ENV, SCAN_WP_LOGIN, SCAN_GIT_CONFIG, SCAN_ADMIN_CONFIG, SCAN_PHPMYADMIN,
            SCAN_WP_SETUP, SCAN_AWS_CREDENTIALS, SCAN_PHPUNIT};
        for (Endpoint from : probes) {
            builder.from(from);
            for (Endpoint to : probes) {
                if (to != from) {
                    builder.to(to, 0.13);
                }
            }
            builder.toExit(0.09);
        }
        return builder;
    }
}
