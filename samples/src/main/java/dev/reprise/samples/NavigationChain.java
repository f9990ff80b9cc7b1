package dev.reprise.samples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A first-order Markov chain over the endpoints with a {@code START} and an {@code EXIT} state:
 * how one behaviour segment navigates the shop. States are endpoint ordinals, then START and EXIT.
 * Immutable once built.
 */
final class NavigationChain {
    static final int START = Endpoint.count();
    static final int EXIT = START + 1;
    private static final int STATES = EXIT + 1;

    /** One planted transition. */
    record Transition(int from, int to, double probability) {
    }

    private final int[][] targets;
    private final double[][] cumulative;
    private final List<Transition> transitions;

    private NavigationChain(List<Transition> transitions) {
        this.transitions = Collections.unmodifiableList(new ArrayList<>(transitions));
        targets = new int[STATES][];
        cumulative = new double[STATES][];
        for (int from = 0; from < STATES; from++) {
            List<Transition> row = new ArrayList<>();
            for (Transition t : transitions) {
                if (t.from() == from) {
                    row.add(t);
                }
            }
            if (row.isEmpty()) {
                continue;
            }
            targets[from] = new int[row.size()];
            cumulative[from] = new double[row.size()];
            double sum = 0;
            for (int i = 0; i < row.size(); i++) {
                targets[from][i] = row.get(i).to();
                sum += row.get(i).probability();
                cumulative[from][i] = sum;
            }
            if (Math.abs(sum - 1.0) > 1e-9) {
                throw new IllegalStateException("transitions from " + name(from) + " sum to " + sum + ", expected 1");
            }
            cumulative[from][row.size() - 1] = 1.0;
        }
        if (targets[START] == null) {
            throw new IllegalStateException("a chain needs transitions from START");
        }
        for (Transition t : transitions) {
            if (t.from() == START && t.to() == EXIT) {
                throw new IllegalStateException("START must not lead straight to EXIT: every visit has a request");
            }
            if (t.to() != EXIT && targets[t.to()] == null) {
                throw new IllegalStateException(name(t.to()) + " is reachable but has no transitions");
            }
        }
    }

    static Builder builder() {
        return new Builder();
    }

    /** The next state after {@code from}: an endpoint ordinal or {@link #EXIT}. */
    int next(int from, SplittableRandom random) {
        double u = Draws.uniform(random);
        double[] row = cumulative[from];
        for (int i = 0; i < row.length; i++) {
            if (u < row[i]) {
                return targets[from][i];
            }
        }
        return targets[from][row.length - 1];
    }

    /** The planted transitions in the order they were declared. */
    List<Transition> transitions() {
        return transitions;
    }

    /**
     * The expected number of requests of a visit: with {@code E(s) = 1 + sum_t p(s,t) E(t)} over
     * endpoint states (E(EXIT) = 0), it is {@code sum_t p(START,t) E(t)}. Solved by fixed-point
     * iteration, which converges because every state reaches EXIT.
     */
    double expectedRequests() {
        double[] expected = new double[STATES];
        for (int iteration = 0; iteration < 1_000_000; iteration++) {
            double change = 0;
            for (int s = 0; s < START; s++) {
                if (targets[s] == null) {
                    continue;
                }
                double value = 1.0;
                for (int i = 0; i < targets[s].length; i++) {
                    value += probability(s, i) * expected[targets[s][i]];
                }
                change = Math.max(change, Math.abs(value - expected[s]));
                expected[s] = value;
            }
            if (change < 1e-12) {
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < targets[START].length; i++) {
            total += probability(START, i) * expected[targets[START][i]];
        }
        return total;
    }

    private double probability(int from, int i) {
        return i == 0 ? cumulative[from][0] : cumulative[from][i] - cumulative[from][i - 1];
    }

    /** The truth-file name of a state: {@code START}, {@code EXIT} or {@code METHOD template}. */
    static String name(int state) {
        if (state == START) {
            return "START";
        }
        if (state == EXIT) {
            return "EXIT";
        }
        return Endpoint.of(state).key();
    }

    /** Declares a chain row by row: {@code from(START).to(HOME, 0.6).to(CATEGORY, 0.4)}. */
    static final class Builder {
        private final List<Transition> transitions = new ArrayList<>();
        private int from = -1;

        Builder fromStart() {
            from = START;
            return this;
        }

        Builder from(Endpoint endpoint) {
            from = endpoint.ordinal();
            return this;
        }

        Builder to(Endpoint endpoint, double probability) {
            return add(endpoint.ordinal(), probability);
        }

        Builder toExit(double probability) {
            return add(EXIT, probability);
        }

        private Builder add(int to, double probability) {
            if (from < 0) {
                throw new IllegalStateException("call from(..) before to(..)");
            }
            transitions.add(new Transition(from, to, probability));
            return this;
        }

        NavigationChain build() {
            return new NavigationChain(transitions);
        }
    }
}
