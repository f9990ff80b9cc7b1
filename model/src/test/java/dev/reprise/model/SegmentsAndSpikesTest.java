package dev.reprise.model;

import static dev.reprise.model.StoreTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Issue 4: bots as their own segment, clustering of human sessions, spike detection, on a real store. */
class SegmentsAndSpikesTest {
    private static final long T0 = 1_773_446_400_000_000L; // 2026-03-14T00:00:00Z in epoch micros
    private static final long SECOND = 1_000_000L;
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:135.0) Gecko/20100101 Firefox/135.0";

    private static RequestRow request(long line, long tsMicros, String client, String agent, String method, String path) {
        return new RequestRow(line, tsMicros, client, null, method, path, null, "HTTP/1.1", 200, 100, Double.NaN,
                Double.NaN, null, agent, null, null);
    }

    /**
     * Two kinds of people and a crawler over six hours: searchers (search, product, search ...), buyers
     * (product, cart, checkout) and Googlebot; session starts at a steady rate, times 8 during
     * 03:00-03:05 when {@code withBurst}.
     */
    private static Store shop(boolean withBurst) {
        Store store = Store.inMemory();
        SplittableRandom random = new SplittableRandom(4);
        long line = 0;
        try (SourceLoad load = store.beginSource(new SourceSpec("shop.log", "nginx", "combined", null, true))) {
            long t = T0;
            int visitor = 0;
            while (t < T0 + 6 * 3600 * SECOND) {
                boolean inBurst = withBurst && t >= T0 + 3 * 3600 * SECOND && t < T0 + 3 * 3600 * SECOND + 300 * SECOND;
                t += (long) (-Math.log(1 - random.nextDouble()) * (inBurst ? 1.5 : 12) * SECOND);
                String client = "10.0." + (visitor / 250) + "." + (visitor % 250);
                visitor++;
                double kind = random.nextDouble();
                long at = t;
                if (kind < 0.15) {
                    String bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
                    load.append(request(++line, at, client, bot, "GET", "/robots.txt"));
                    for (int i = 0; i < 8; i++) {
                        at += SECOND;
                        load.append(request(++line, at, client, bot, "GET", "/products/" + random.nextInt(1000, 2000)));
                    }
                } else if (kind < 0.6) {
                    int steps = 2 + random.nextInt(5);
                    for (int i = 0; i < steps; i++) {
                        load.append(request(++line, at, client, BROWSER, "GET", "/search"));
                        at += 8 * SECOND;
                        load.append(request(++line, at, client, BROWSER, "GET", "/products/" + random.nextInt(1000, 2000)));
                        at += 8 * SECOND;
                    }
                } else {
                    load.append(request(++line, at, client, BROWSER, "GET", "/products/" + random.nextInt(1000, 2000)));
                    at += 20 * SECOND;
                    load.append(request(++line, at, client, BROWSER, "POST", "/cart/items"));
                    at += 20 * SECOND;
                    load.append(request(++line, at, client, BROWSER, "GET", "/cart"));
                    at += 20 * SECOND;
                    load.append(request(++line, at, client, BROWSER, "GET", "/checkout"));
                }
            }
            load.commit(line);
        }
        return store;
    }

    @Test
    void putsBotsInTheirOwnSegmentAndSplitsPeopleByBehaviour() {
        try (Store store = shop(false)) {
            store.buildModel(ModelParams.defaults());

            List<List<Object>> segments = query(store, "SELECT segment_id, name, sessions FROM segments ORDER BY segment_id");
            assertThat(segments).hasSize(3);
            assertThat(segments.get(2).get(1)).isEqualTo("bots");
            assertThat((String) segments.get(0).get(1)).contains("GET /search");
            assertThat((String) segments.get(1).get(1)).containsAnyOf("GET /cart", "POST /cart/items", "GET /checkout");
            // every bot session and only those in the bot segment; no mixed human segment
            assertThat(query(store, "SELECT count(*) FROM sessions WHERE is_bot <> (segment_id = 3)"))
                    .containsExactly(List.of(0L));
            assertThat(query(store, "SELECT count(DISTINCT s.segment_id) FROM sessions s JOIN session_requests r "
                    + "USING (session_id) WHERE r.template = '/search'")).containsExactly(List.of(1L));
            // each segment has its own chain: only buyers go from the cart to checkout
            assertThat(query(store, "SELECT DISTINCT segment_id FROM transition_paths WHERE to_state = 'GET /checkout'"))
                    .containsExactly(List.of(2));
        }
    }

    @Test
    void honoursARequestedNumberOfSegments() {
        try (Store store = shop(false)) {
            store.buildModel(ModelParams.defaults().withSegments(1));
            assertThat(query(store, "SELECT count(*) FROM segments")).containsExactly(List.of(2L));
            assertThat(query(store, "SELECT name FROM segments WHERE segment_id = 2")).containsExactly(List.of("bots"));
        }
    }

    @Test
    void findsABurstOfSessionArrivalsWithItsStartAndFactor() {
        try (Store store = shop(true)) {
            store.buildModel(ModelParams.defaults());

            List<List<Object>> spikes = query(store,
                    "SELECT epoch_us(start_ts), epoch_us(end_ts), baseline_rate, peak_rate, factor FROM spikes");
            assertThat(spikes).hasSize(1);
            long start = (Long) spikes.get(0).get(0);
            assertThat(Math.abs(start - (T0 + 3 * 3600 * SECOND))).isLessThanOrEqualTo(20 * SECOND);
            long end = (Long) spikes.get(0).get(1);
            assertThat(Math.abs(end - (T0 + 3 * 3600 * SECOND + 300 * SECOND))).isLessThanOrEqualTo(20 * SECOND);
            assertThat((Double) spikes.get(0).get(2)).isBetween(1 / 12.0 * 0.7, 1 / 12.0 * 1.3);
            assertThat((Double) spikes.get(0).get(4)).isBetween(4.0, 14.0);
        }
    }

    @Test
    void spikesReturnsTheDetectedRowsInTimeOrder() {
        try (Store store = shop(true)) {
            store.buildModel(ModelParams.defaults());

            List<List<Object>> rows = query(store, "SELECT spike_id, epoch_us(start_ts), epoch_us(end_ts), factor FROM spikes");
            List<Spike> spikes = store.spikes();
            assertThat(spikes).hasSize(rows.size()).hasSize(1);
            Spike s = spikes.get(0);
            assertThat(s.spikeId()).isEqualTo(((Number) rows.get(0).get(0)).intValue());
            assertThat(s.start().getEpochSecond() * 1_000_000L + s.start().getNano() / 1000).isEqualTo(rows.get(0).get(1));
            assertThat(s.end().getEpochSecond() * 1_000_000L + s.end().getNano() / 1000).isEqualTo(rows.get(0).get(2));
            assertThat(s.factor()).isEqualTo(rows.get(0).get(3));
        }
        try (Store calm = shop(false)) {
            calm.buildModel(ModelParams.defaults());
            assertThat(calm.spikes()).isEmpty();
        }
    }

    @Test
    void findsNoSpikeOnACalmDay() {
        try (Store store = shop(false)) {
            store.buildModel(ModelParams.defaults());
            assertThat(query(store, "SELECT count(*) FROM spikes")).containsExactly(List.of(0L));
        }
    }
}
