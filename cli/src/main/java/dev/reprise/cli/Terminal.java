package dev.reprise.cli;

import java.io.PrintWriter;

/**
 * Where progress goes: a single, rewritten status line on an interactive terminal; nothing in pipes,
 * files or CI (CI=true), so logs stay clean.
 */
final class Terminal {
    private final PrintWriter err;
    private final boolean interactive;
    private int lastLength;

    Terminal(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    /** True when stderr is a terminal a person watches and we are not in CI. */
    static boolean detectInteractive() {
        String ci = System.getenv("CI");
        return System.console() != null && (ci == null || ci.isEmpty() || ci.equalsIgnoreCase("false"));
    }

    boolean isInteractive() {
        return interactive;
    }

    /** Replaces the status line (interactive only). */
    synchronized void status(String line) {
        if (!interactive) {
            return;
        }
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        lastLength = line.length();
        err.print(sb);
        err.flush();
    }

    /** Removes the status line so normal output can follow. */
    synchronized void clearStatus() {
        if (interactive && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }
}
