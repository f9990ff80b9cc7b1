package dev.reprise.samples;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes a {@link SessionPlan} as nginx {@code combined} lines in time order. Visits become active
 * at their start and wait in a priority queue keyed by the time of their next request, each
 * re-walking its chain from its seed; only the visits in progress are in memory.
 *
 * <p>Line format, exactly as nginx's predefined {@code combined}:
 * {@code $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"}
 */
final class AccessLogRenderer {
    static final String SITE = "https://shop.example.com";
    /** Share of POST /checkout answered 500 instead of 302. */
    static final double CHECKOUT_ERROR_SHARE = 0.005;
    /** Share of people's visits over HTTP/2 (crawlers and scanners speak HTTP/1.1). */
    static final double HTTP2_SHARE = 0.6;

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final int FLUSH_CHARS = 1 << 16;

    /** What was written: requests per endpoint and status, and the damaged lines. */
    static final class Tally {
        final long[][] requestsByEndpointAndStatus = new long[Endpoint.count()][600];
        final long[] damagedByKind = new long[2];
        long lines;
        long requests;
    }

    private final SessionPlan plan;
    private final Catalog catalog;
    private final Writer writer;
    private final String datePrefix;
    private final StringBuilder out = new StringBuilder(FLUSH_CHARS + 4096);
    private final char[] chars = new char[FLUSH_CHARS + 4096];
    private final char[] clock = "00:00:00".toCharArray();
    private long clockSecond = 0;
    private final Tally tally = new Tally();

    AccessLogRenderer(SessionPlan plan, Catalog catalog, LocalDate day, Writer writer) {
        this.plan = plan;
        this.catalog = catalog;
        this.writer = writer;
        this.datePrefix = String.format(Locale.ROOT, "%02d/%s/%04d:", day.getDayOfMonth(),
                MONTHS[day.getMonthValue() - 1], day.getYear());
    }

    Tally render() throws IOException {
        PriorityQueue<Visit> active = new PriorityQueue<>();
        int nextVisit = 0;
        int nextDamaged = 0;
        while (true) {
            long visitStart = nextVisit < plan.sessions ? plan.startMillis[nextVisit] : Long.MAX_VALUE;
            long damagedAt = nextDamaged < plan.damagedMillis.length ? plan.damagedMillis[nextDamaged] : Long.MAX_VALUE;
            Visit head = active.peek();
            long headAt = head != null ? head.nextMillis : Long.MAX_VALUE;
            if (damagedAt == Long.MAX_VALUE && visitStart == Long.MAX_VALUE && head == null) {
                break;
            }
            if (damagedAt <= visitStart && damagedAt <= headAt) {
                writeDamaged(nextDamaged++);
            } else if (visitStart <= headAt) {
                active.add(new Visit(nextVisit++));
            } else {
                active.poll();
                writeRequest(head);
                if (head.walk.advance()) {
                    head.nextMillis = Math.min(head.nextMillis + head.walk.thinkMillis(),
                            ArrivalCurve.MILLIS_PER_DAY - 1);
                    active.add(head);
                } else {
                    head.checkMatchesPlan();
                }
            }
        }
        flush();
        return tally;
    }

    private void writeRequest(Visit visit) throws IOException {
        Endpoint endpoint = visit.walk.endpoint();
        SplittableRandom random = visit.content;
        String path = endpoint.literalPath;
        int status = endpoint.okStatus;
        double bytesMedian = endpoint.okBytesMedian;
        double bytesSigma = endpoint.okBytesSigma;
        switch (endpoint) {
            case CATEGORY -> path = catalog.categoryPath(
                    visit.isHuman ? catalog.categoryForPerson(random) : catalog.categoryForCrawler(random));
            case PRODUCT -> {
                visit.productId = visit.isHuman ? catalog.productForPerson(random) : catalog.productForCrawler(random);
                path = catalog.productPath(visit.productId);
                if (!Catalog.isInCatalog(visit.productId)) {
                    status = 404;
                    bytesMedian = 4_187;
                    bytesSigma = 0.02;
                }
            }
            case REVIEWS -> {
                if (visit.productId < 0) {
                    visit.productId = catalog.productForPerson(random);
                }
                path = catalog.reviewsPath(visit.productId);
                if (!Catalog.isInCatalog(visit.productId)) {
                    status = 404;
                    bytesMedian = 31;
                    bytesSigma = 0;
                }
            }
            case SEARCH -> path = catalog.searchPath(catalog.searchTerm(random));
            case CHECKOUT_SUBMIT -> {
                // The order exists once the POST is accepted; its confirmation page follows the 302.
                visit.orderPath = "/orders/" + uuid(random);
                if (Draws.chance(random, CHECKOUT_ERROR_SHARE)) {
                    status = 500;
                    bytesMedian = 1_482;
                    bytesSigma = 0;
                }
            }
            case ORDER -> path = visit.orderPath != null ? visit.orderPath : "/orders/" + uuid(random);
            default -> {
                // a literal path with its normal response
            }
        }
        long bytes = Math.round(Draws.logNormal(random, bytesMedian, bytesSigma));

        appendPrefix(plan.client(visit.index), visit.nextMillis);
        out.append('"').append(endpoint.method).append(' ').append(path).append(' ').append(visit.protocol)
                .append("\" ").append(status).append(' ').append(bytes).append(" \"");
        if (visit.currentPage == null) {
            out.append('-');
        } else {
            out.append(SITE).append(visit.currentPage);
        }
        out.append("\" \"").append(plan.userAgent(visit.index)).append("\"\n");
        endLine();

        if (visit.isHuman && endpoint.kind == Endpoint.Kind.PAGE) {
            visit.currentPage = path;
        }
        tally.requestsByEndpointAndStatus[endpoint.ordinal()][status]++;
        tally.requests++;
    }

    private void writeDamaged(int i) throws IOException {
        int kind = plan.damagedKinds[i];
        appendPrefix(plan.damagedClients[i], plan.damagedMillis[i]);
        // nginx answers both with 400: no bytes for a closed connection, its 157-byte page for TLS.
        out.append('"').append(plan.damagedRequests[i]).append("\" 400 ")
                .append(kind == SessionPlan.TLS_HANDSHAKE ? 157 : 0).append(" \"-\" \"-\"\n");
        endLine();
        tally.damagedByKind[kind]++;
    }

    private void appendPrefix(String client, long millisOfDay) {
        long second = millisOfDay / 1000;
        if (second != clockSecond) {
            clockSecond = second;
            setTwoDigits(0, (int) (second / 3600));
            setTwoDigits(3, (int) (second / 60 % 60));
            setTwoDigits(6, (int) (second % 60));
        }
        out.append(client).append(" - - [").append(datePrefix).append(clock).append(" +0000] ");
    }

    private void setTwoDigits(int at, int value) {
        clock[at] = (char) ('0' + value / 10);
        clock[at + 1] = (char) ('0' + value % 10);
    }

    private void endLine() throws IOException {
        tally.lines++;
        if (out.length() >= FLUSH_CHARS) {
            flush();
        }
    }

    private void flush() throws IOException {
        int length = out.length();
        out.getChars(0, length, chars, 0);
        writer.write(chars, 0, length);
        out.setLength(0);
    }

    /** A random (version 4) UUID in its canonical lower-case form. */
    private static String uuid(SplittableRandom random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new java.util.UUID(high, low).toString();
    }

    /** A visit in progress. */
    private final class Visit implements Comparable<Visit> {
        final int index;
        final SessionWalk walk;
        final SplittableRandom content;
        final boolean isHuman;
        final String protocol;
        long nextMillis;
        /** The page the visitor is on, the referer of the next request; null before the first page. */
        String currentPage;
        int productId = -1;
        String orderPath;

        Visit(int index) {
            this.index = index;
            SplittableRandom[] streams = SessionPlan.streams(plan.seeds[index]);
            Segment segment = plan.segment(index);
            walk = new SessionWalk(segment, streams[0], plan.requestCounts[index]);
            content = streams[1];
            isHuman = segment.isHuman();
            protocol = isHuman && Draws.chance(content, HTTP2_SHARE) ? "HTTP/2.0" : "HTTP/1.1";
            nextMillis = plan.startMillis[index];
            if (!walk.advance()) {
                throw new IllegalStateException("visit " + index + " has no request");
            }
        }

        void checkMatchesPlan() {
            if (walk.requests() != plan.requestCounts[index] || nextMillis != plan.endMillis[index]) {
                throw new IllegalStateException("visit " + index + " re-walked to " + walk.requests()
                        + " requests ending at " + nextMillis + " ms, planned " + plan.requestCounts[index] + " ending at "
                        + plan.endMillis[index] + " ms");
            }
        }

        @Override
        public int compareTo(Visit other) {
            int byTime = Long.compare(nextMillis, other.nextMillis);
            return byTime != 0 ? byTime : Integer.compare(index, other.index);
        }
    }
}
