package dev.reprise.cli;

/** Every exit code Reprise uses, in one place (as k6's errext/exitcodes). */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command failed: bad input file, unusable store, unreachable target, truncated input, a bug. */
    public static final int FAILURE = 1;
    /** The command line was wrong: unknown option, missing argument, invalid value (picocli's default). */
    public static final int USAGE = 2;
    /**
     * The replay ran but broke at least one threshold (the same code as k6); also {@code fidelity}
     * with a metric beyond its limit and {@code report diff} with a regression beyond the tolerance:
     * the command worked and its verdict is "no".
     */
    public static final int THRESHOLDS_BROKEN = 99;

    private ExitCodes() {
    }
}
