package dev.reprise.samples;

import java.util.List;

/**
 * The user agents of the sample, by who sends them, with their weights. Crawlers carry the
 * address blocks they really crawl from. Indexes into {@link #ALL} identify a user agent.
 */
final class UserAgents {
    private UserAgents() {
    }

    /** A user agent string and how often it is picked within its group. */
    record Agent(String userAgent, double weight) {
    }

    /** A crawler: its user agent, weight, and the IPv4 blocks it crawls from ({@code a.b.c.d/len}). */
    record Crawler(Agent agent, List<String> blocks) {
    }

    /** Desktop and mobile browsers of early 2026. */
    static final List<Agent> BROWSERS = List.of(
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/133.0.0.0 Safari/537.36", 0.20),
            new Agent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "Version/18.3 Mobile/15E148 Safari/604.1", 0.17),
            new Agent("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/133.0.0.0 Mobile Safari/537.36", 0.16),
            new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/133.0.0.0 Safari/537.36", 0.08),
            new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "Version/18.3 Safari/605.1.15", 0.06),
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/133.0.0.0 Safari/537.36 Edg/133.0.0.0", 0.06),
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0", 0.05),
            new Agent("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36", 0.04),
            new Agent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "CriOS/133.0.6943.120 Mobile/15E148 Safari/604.1", 0.04),
            new Agent("Mozilla/5.0 (iPad; CPU OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "Version/18.3 Mobile/15E148 Safari/604.1", 0.03),
            new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:135.0) Gecko/20100101 Firefox/135.0", 0.02),
            new Agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/133.0.0.0 Safari/537.36", 0.02),
            new Agent("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:135.0) Gecko/20100101 Firefox/135.0", 0.01),
            new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/133.0.0.0 Safari/537.36 OPR/117.0.0.0", 0.01),
            new Agent("Mozilla/5.0 (Android 15; Mobile; rv:135.0) Gecko/135.0 Firefox/135.0", 0.01));

    /** Search-engine and SEO crawlers: they read robots.txt and the sitemap, then the catalogue. */
    static final List<Crawler> CRAWLERS = List.of(
            new Crawler(new Agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 0.30),
                    List.of("66.249.64.0/19")),
            new Crawler(new Agent("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
                    + "(KHTML, like Gecko) Chrome/133.0.6943.53 Mobile Safari/537.36 "
                    + "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 0.25),
                    List.of("66.249.64.0/19")),
            new Crawler(new Agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 0.25),
                    List.of("40.77.167.0/24", "157.55.39.0/24", "207.46.13.0/24")),
            new Crawler(new Agent("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 0.20),
                    List.of("54.36.148.0/22")));

    /** Vulnerability scanners probing for paths the shop does not have. */
    static final List<Agent> SCANNERS = List.of(
            new Agent("Mozilla/5.0 zgrab/0.x", 0.40),
            new Agent("python-requests/2.31.0", 0.35),
            new Agent("Go-http-client/1.1", 0.25));

    /** Every user agent; a user agent index is a position in this list. */
    static final List<String> ALL;
    static final int FIRST_BROWSER = 0;
    static final int FIRST_CRAWLER = BROWSERS.size();
    static final int FIRST_SCANNER = FIRST_CRAWLER + CRAWLERS.size();

    static {
        List<String> all = new java.util.ArrayList<>();
        BROWSERS.forEach(a -> all.add(a.userAgent()));
        CRAWLERS.forEach(c -> all.add(c.agent().userAgent()));
        SCANNERS.forEach(a -> all.add(a.userAgent()));
        ALL = List.copyOf(all);
    }

    static double[] weights(List<Agent> agents) {
        return agents.stream().mapToDouble(Agent::weight).toArray();
    }
}
