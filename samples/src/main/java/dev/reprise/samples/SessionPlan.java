package dev.reprise.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Every visit of the day, decided before a line is written, in primitive arrays sorted by start:
 * O(sessions) memory, nothing per request. Also the damaged lines.
 *
 * <p>Planning, all from the options' seed:
 * <ol>
 *   <li>Set aside the damaged lines (share {@value #DAMAGED_LINE_SHARE}, randomly rounded).
 *   <li>Draw visits until their requests reach the remaining line count: each gets a seed, a start
 *       from the {@link ArrivalCurve}, a segment from the mix of its minute (the flash sale leans
 *       to buyers), and its length and duration by walking its chain from its seed. The last visit
 *       is cut to fit exactly. A visit that would run past midnight starts earlier so it ends
 *       before it.
 *   <li>Sort by start and give each visit a client address and user agent such that the same
 *       (address, user agent) is never in use by two visits less than {@value #RETURN_GAP_MINUTES}
 *       minutes apart: returning visitors, shared (NAT) addresses and crawler address blocks
 *       reuse pairs only after that gap.
 * </ol>
 */
final class SessionPlan {
    static final double DAMAGED_LINE_SHARE = 0.0002;
    static final double RETURNING_SHARE = 0.10;
    static final int RETURN_GAP_MINUTES = 60;
    static final double SHARED_ADDRESS_SHARE = 0.06;
    static final int SHARED_ADDRESSES = 30;
    static final double IPV6_SHARE = 0.03;
    /** Segment mix (in {@link Segment} order) outside and inside the flash sale. */
    static final double[] NORMAL_MIX = {0.45, 0.25, 0.15, 0.15};
    static final double[] SPIKE_MIX = {0.40, 0.10, 0.45, 0.05};
    /** Damaged-line kinds: a connection closed before any request, and TLS sent to the HTTP port. */
    static final int EMPTY_REQUEST = 0;
    static final int TLS_HANDSHAKE = 1;
    static final double TLS_HANDSHAKE_SHARE = 0.4;

    private static final long RETURN_GAP_MILLIS = RETURN_GAP_MINUTES * ArrivalCurve.MILLIS_PER_MINUTE;

    final int sessions;
    final long requests;
    final long[] startMillis;
    /** The start of each visit's last request. */
    final long[] endMillis;
    final long[] seeds;
    final int[] requestCounts;
    final byte[] segments;
    final int[] clients;
    final short[] userAgents;
    final boolean[] returning;
    final List<String> clientAddresses;

    final long[] damagedMillis;
    final int[] damagedKinds;
    final String[] damagedClients;
    final String[] damagedRequests;

    private SessionPlan(Builder b) {
        sessions = b.count;
        requests = b.requests;
        startMillis = b.startMillis;
        endMillis = b.endMillis;
        seeds = b.seeds;
        requestCounts = b.requestCounts;
        segments = b.segments;
        clients = b.clients;
        userAgents = b.userAgents;
        returning = b.returning;
        clientAddresses = b.addresses.addresses;
        damagedMillis = b.damagedMillis;
        damagedKinds = b.damagedKinds;
        damagedClients = b.damagedClients;
        damagedRequests = b.damagedRequests;
    }

    static SessionPlan of(long lines, long seed, ArrivalCurve curve) {
        return new Builder(seed).plan(lines, curve);
    }

    /** The two independent random streams of visit i: its walk, then its content (ids, sizes, ...). */
    static SplittableRandom[] streams(long visitSeed) {
        SplittableRandom root = new SplittableRandom(visitSeed);
        return new SplittableRandom[] {root.split(), root.split()};
    }

    Segment segment(int visit) {
        return Segment.of(segments[visit]);
    }

    String client(int visit) {
        return clientAddresses.get(clients[visit]);
    }

    String userAgent(int visit) {
        return UserAgents.ALL.get(userAgents[visit]);
    }

    private static final class Builder {
        private final SplittableRandom random;
        private final ClientAddresses addresses;
        private int count;
        private long requests;
        private long[] startMillis = new long[1024];
        private long[] endMillis = new long[1024];
        private long[] seeds = new long[1024];
        private int[] requestCounts = new int[1024];
        private byte[] segments = new byte[1024];
        private byte[] firstEndpoints = new byte[1024];
        private int[] clients;
        private short[] userAgents;
        private boolean[] returning;
        private long[] damagedMillis;
        private int[] damagedKinds;
        private String[] damagedClients;
        private String[] damagedRequests;

        Builder(long seed) {
            random = new SplittableRandom(seed);
            addresses = new ClientAddresses(new SplittableRandom(seed ^ 0xADD7E55E5L));
        }

        SessionPlan plan(long lines, ArrivalCurve curve) {
            long damaged = Math.min(lines, (long) StrictMath.floor(lines * DAMAGED_LINE_SHARE + Draws.uniform(random)));
            planDamaged((int) damaged);
            drawVisits(lines - damaged, curve);
            sortByStart();
            assignClients();
            return new SessionPlan(this);
        }

        private void planDamaged(int damaged) {
            damagedMillis = new long[damaged];
            for (int i = 0; i < damaged; i++) {
                damagedMillis[i] = (long) (Draws.uniform(random) * ArrivalCurve.MILLIS_PER_DAY);
            }
            Arrays.sort(damagedMillis);
            damagedKinds = new int[damaged];
            damagedClients = new String[damaged];
            damagedRequests = new String[damaged];
            for (int i = 0; i < damaged; i++) {
                damagedKinds[i] = Draws.chance(random, TLS_HANDSHAKE_SHARE) ? TLS_HANDSHAKE : EMPTY_REQUEST;
                damagedClients[i] = ClientAddresses.ipv4(ClientAddresses.publicIpv4(random));
                damagedRequests[i] = damagedKinds[i] == TLS_HANDSHAKE ? tlsClientHello(random) : "-";
            }
        }

        private void drawVisits(long requestLines, ArrivalCurve curve) {
            DiscreteDistribution normalMix = DiscreteDistribution.of(NORMAL_MIX);
            DiscreteDistribution spikeMix = DiscreteDistribution.of(SPIKE_MIX);
            long remaining = requestLines;
            while (remaining > 0) {
                long seed = random.nextLong();
                long start = curve.sampleStartMillis(random);
                Segment segment = Segment.of((ArrivalCurve.isInSpike(start) ? spikeMix : normalMix).sample(random));
                int maxRequests = (int) Math.min(remaining, Integer.MAX_VALUE);
                SessionWalk walk = new SessionWalk(segment, streams(seed)[0], maxRequests);
                long duration = 0;
                walk.advance();
                int first = walk.endpoint().ordinal();
                while (walk.advance()) {
                    duration += walk.thinkMillis();
                }
                // A visit that would cross midnight is moved earlier: the log covers one day.
                long latestStart = ArrivalCurve.MILLIS_PER_DAY - 1 - duration;
                if (start > latestStart) {
                    start = Math.max(0, latestStart);
                }
                add(seed, start, Math.min(start + duration, ArrivalCurve.MILLIS_PER_DAY - 1), walk.requests(),
                        segment, first);
                remaining -= walk.requests();
            }
        }

        private void add(long seed, long start, long end, int visitRequests, Segment segment, int firstEndpoint) {
            if (count == seeds.length) {
                int size = Math.multiplyExact(count, 2);
                startMillis = Arrays.copyOf(startMillis, size);
                endMillis = Arrays.copyOf(endMillis, size);
                seeds = Arrays.copyOf(seeds, size);
                requestCounts = Arrays.copyOf(requestCounts, size);
                segments = Arrays.copyOf(segments, size);
                firstEndpoints = Arrays.copyOf(firstEndpoints, size);
            }
            startMillis[count] = start;
            endMillis[count] = end;
            seeds[count] = seed;
            requestCounts[count] = visitRequests;
            segments[count] = (byte) segment.ordinal();
            firstEndpoints[count] = (byte) firstEndpoint;
            requests += visitRequests;
            count++;
        }

        /** Sorts the visits by start (ties by draw order) through packed keys: start (27 bits) then index. */
        private void sortByStart() {
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = (startMillis[i] << 31) | i;
            }
            Arrays.sort(keys);
            long[] sortedStart = new long[count];
            long[] sortedEnd = new long[count];
            long[] sortedSeeds = new long[count];
            int[] sortedCounts = new int[count];
            byte[] sortedSegments = new byte[count];
            byte[] sortedFirst = new byte[count];
            for (int k = 0; k < count; k++) {
                int i = (int) (keys[k] & 0x7FFF_FFFFL);
                sortedStart[k] = startMillis[i];
                sortedEnd[k] = endMillis[i];
                sortedSeeds[k] = seeds[i];
                sortedCounts[k] = requestCounts[i];
                sortedSegments[k] = segments[i];
                sortedFirst[k] = firstEndpoints[i];
            }
            startMillis = sortedStart;
            endMillis = sortedEnd;
            seeds = sortedSeeds;
            requestCounts = sortedCounts;
            segments = sortedSegments;
            firstEndpoints = sortedFirst;
        }

        private void assignClients() {
            clients = new int[count];
            userAgents = new short[count];
            returning = new boolean[count];
            DiscreteDistribution browsers = DiscreteDistribution.of(UserAgents.weights(UserAgents.BROWSERS));
            DiscreteDistribution crawlers = DiscreteDistribution.of(
                    UserAgents.CRAWLERS.stream().mapToDouble(c -> c.agent().weight()).toArray());
            DiscreteDistribution scanners = DiscreteDistribution.of(UserAgents.weights(UserAgents.SCANNERS));
            // Human visits that ended more than the gap ago (candidates for a return), and those
            // that have not yet, as (end << 31 | visit).
            List<Integer> returnable = new ArrayList<>();
            PriorityQueue<Long> ended = new PriorityQueue<>();
            for (int i = 0; i < count; i++) {
                long start = startMillis[i];
                while (!ended.isEmpty() && (ended.peek() >>> 31) + RETURN_GAP_MILLIS < start) {
                    returnable.add((int) (ended.poll() & 0x7FFF_FFFFL));
                }
                Segment segment = Segment.of(segments[i]);
                if (segment.isHuman()) {
                    assignPerson(i, browsers, returnable);
                    ended.add((endMillis[i] << 31) | i);
                } else if (Endpoint.of(firstEndpoints[i]).kind == Endpoint.Kind.PROBE) {
                    userAgents[i] = (short) (UserAgents.FIRST_SCANNER + scanners.sample(random));
                    clients[i] = addresses.fresh(random, false);
                } else {
                    int crawler = crawlers.sample(random);
                    userAgents[i] = (short) (UserAgents.FIRST_CRAWLER + crawler);
                    clients[i] = addresses.fromBlocks(random, UserAgents.CRAWLERS.get(crawler).blocks(),
                            userAgents[i], start);
                }
                addresses.use(clients[i], userAgents[i], endMillis[i]);
            }
        }

        private void assignPerson(int i, DiscreteDistribution browsers, List<Integer> returnable) {
            long start = startMillis[i];
            if (!returnable.isEmpty() && Draws.chance(random, RETURNING_SHARE)) {
                for (int attempt = 0; attempt < 4; attempt++) {
                    int earlier = returnable.get(Draws.below(random, returnable.size()));
                    if (addresses.isFree(clients[earlier], userAgents[earlier], start)) {
                        clients[i] = clients[earlier];
                        userAgents[i] = userAgents[earlier];
                        returning[i] = true;
                        return;
                    }
                }
            }
            userAgents[i] = (short) (UserAgents.FIRST_BROWSER + browsers.sample(random));
            if (Draws.chance(random, SHARED_ADDRESS_SHARE)) {
                for (int attempt = 0; attempt < 4; attempt++) {
                    int shared = addresses.shared(Draws.below(random, SHARED_ADDRESSES));
                    if (addresses.isFree(shared, userAgents[i], start)) {
                        clients[i] = shared;
                        return;
                    }
                }
            }
            clients[i] = addresses.fresh(random, Draws.chance(random, IPV6_SHARE));
        }
    }

    /** Client addresses handed out so far, and when each (address, user agent) pair was last busy. */
    private static final class ClientAddresses {
        final List<String> addresses = new ArrayList<>();
        private final Map<String, Integer> indexByAddress = new HashMap<>();
        private final Map<Long, Long> lastEndByPair = new HashMap<>();
        private final int[] sharedClients = new int[SHARED_ADDRESSES];

        /** Shared addresses (carrier-grade NAT, offices) come from their own stream, fixed per seed. */
        ClientAddresses(SplittableRandom sharedRandom) {
            for (int i = 0; i < SHARED_ADDRESSES; i++) {
                sharedClients[i] = fresh(sharedRandom, false);
            }
        }

        int shared(int i) {
            return sharedClients[i];
        }

        /** A new address no visit has used: IPv4 from public space, or IPv6 in common ISP prefixes. */
        int fresh(SplittableRandom random, boolean ipv6) {
            while (true) {
                String address = ipv6 ? ipv6(random) : ipv4(publicIpv4(random));
                if (!indexByAddress.containsKey(address)) {
                    return register(address);
                }
            }
        }

        /** An address from the blocks whose pair with this user agent is free, else a fresh address. */
        int fromBlocks(SplittableRandom random, List<String> blocks, int userAgent, long start) {
            for (int attempt = 0; attempt < 64; attempt++) {
                String block = blocks.get(Draws.below(random, blocks.size()));
                int slash = block.indexOf('/');
                int base = parseIpv4(block.substring(0, slash));
                int size = 1 << (32 - Integer.parseInt(block.substring(slash + 1)));
                String address = ipv4(base + 1 + Draws.below(random, size - 2));
                Integer known = indexByAddress.get(address);
                int client = known != null ? known : register(address);
                if (isFree(client, userAgent, start)) {
                    return client;
                }
            }
            return fresh(random, false);
        }

        boolean isFree(int client, int userAgent, long start) {
            Long lastEnd = lastEndByPair.get(pair(client, userAgent));
            return lastEnd == null || lastEnd + RETURN_GAP_MILLIS < start;
        }

        void use(int client, int userAgent, long end) {
            lastEndByPair.put(pair(client, userAgent), end);
        }

        private int register(String address) {
            indexByAddress.put(address, addresses.size());
            addresses.add(address);
            return addresses.size() - 1;
        }

        private static long pair(int client, int userAgent) {
            return ((long) client << 16) | userAgent;
        }

        /** A random unicast IPv4 address outside private, loopback, link-local, CGNAT and test ranges. */
        static int publicIpv4(SplittableRandom random) {
            while (true) {
                int address = (int) random.nextLong();
                int first = address >>> 24;
                if (first == 0 || first == 10 || first == 100 || first == 127 || first == 169 || first == 172
                        || first == 192 || first == 198 || first == 203 || first >= 224) {
                    continue;
                }
                if ((address & 0xFF) == 0 || (address & 0xFF) == 255) {
                    continue;
                }
                return address;
            }
        }

        static String ipv4(int address) {
            return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                    + (address & 0xFF);
        }

        private static int parseIpv4(String dotted) {
            String[] parts = dotted.split("\\.");
            return (Integer.parseInt(parts[0]) << 24) | (Integer.parseInt(parts[1]) << 16)
                    | (Integer.parseInt(parts[2]) << 8) | Integer.parseInt(parts[3]);
        }

        private static final String[] IPV6_PREFIXES = {"2a02:c7c", "2600:1700", "2a01:e0a", "2001:16b8", "2604:3d08"};

        /**
         * A privacy-extension style address in a residential ISP prefix. Every group after the
         * prefix is non-zero, so the canonical text form nginx logs has no {@code ::}.
         */
        static String ipv6(SplittableRandom random) {
            StringBuilder address = new StringBuilder(IPV6_PREFIXES[Draws.below(random, IPV6_PREFIXES.length)]);
            for (int group = 0; group < 6; group++) {
                address.append(':').append(Integer.toHexString(1 + Draws.below(random, 0xFFFF)));
            }
            return address.toString();
        }
    }

    /**
     * The start of a TLS ClientHello as nginx logs it when it arrives on a plain-HTTP port: record
     * header, handshake header, client version, then random bytes; nginx writes control bytes,
     * {@code "}, {@code \} and bytes from 0x7F as {@code \xHH} and printable ASCII as is.
     */
    private static String tlsClientHello(SplittableRandom random) {
        int helloLength = 0xB0 + Draws.below(random, 0x150);
        int[] bytes = new int[11 + 32 + 8];
        int n = 0;
        bytes[n++] = 0x16;
        bytes[n++] = 0x03;
        bytes[n++] = 0x01;
        bytes[n++] = (helloLength + 4) >>> 8;
        bytes[n++] = (helloLength + 4) & 0xFF;
        bytes[n++] = 0x01;
        bytes[n++] = 0x00;
        bytes[n++] = helloLength >>> 8;
        bytes[n++] = helloLength & 0xFF;
        bytes[n++] = 0x03;
        bytes[n++] = 0x03;
        while (n < bytes.length) {
            bytes[n++] = Draws.below(random, 256);
        }
        StringBuilder logged = new StringBuilder();
        for (int b : bytes) {
            if (b < 0x20 || b == '"' || b == '\\' || b >= 0x7F) {
                logged.append("\\x").append(Character.toUpperCase(Character.forDigit(b >>> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            } else {
                logged.append((char) b);
            }
        }
        return logged.toString();
    }
}
