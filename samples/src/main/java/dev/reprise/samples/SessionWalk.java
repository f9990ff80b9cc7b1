package dev.reprise.samples;

import java.util.SplittableRandom;

/**
 * One visit's path through its segment's chain, with the think time before each request, as a
 * pure function of the visit's seed. Planning walks a visit once to learn its length and duration;
 * emission walks it again, getting the same requests at the same times without having stored them.
 *
 * <p>The draws are ordered so that a walk capped at k requests is a prefix of the uncapped walk:
 * the next state is drawn, then (unless it is EXIT) the think time before it.
 */
final class SessionWalk {
    private final Segment segment;
    private final SplittableRandom random;
    private final int maxRequests;
    private int state = NavigationChain.START;
    private int requests;
    private long thinkMillis;

    SessionWalk(Segment segment, SplittableRandom random, int maxRequests) {
        this.segment = segment;
        this.random = random;
        this.maxRequests = maxRequests;
    }

    /** Moves to the visit's next request; false once the visit is over (then do not call again). */
    boolean advance() {
        if (requests == maxRequests) {
            return false;
        }
        int next = segment.chain.next(state, random);
        if (next == NavigationChain.EXIT) {
            return false;
        }
        thinkMillis = requests == 0 ? 0 : segment.thinkMillis(Endpoint.of(state), random);
        state = next;
        requests++;
        return true;
    }

    /** The endpoint of the current request. */
    Endpoint endpoint() {
        return Endpoint.of(state);
    }

    /** Milliseconds from the previous request of the visit to the current one (0 for the first). */
    long thinkMillis() {
        return thinkMillis;
    }

    int requests() {
        return requests;
    }
}
