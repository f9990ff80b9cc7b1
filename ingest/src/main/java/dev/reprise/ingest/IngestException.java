package dev.reprise.ingest;

/**
 * A problem with the input the user can act on: a file that is missing or unreadable, an unknown
 * format name, a log_format string that cannot be compiled, a file that does not match its format
 * at all. The message says what is wrong, where ({@code file:line} when there is a line), what was
 * expected and what was found, and what to do. Bugs are not reported with this type.
 *
 * <p>Single malformed lines are not errors: they are recorded in {@code rejects} with a reason and
 * the load goes on.
 */
public class IngestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
