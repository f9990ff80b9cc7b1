package dev.reprise.replay;

/**
 * A replay problem the user can act on: an invalid option, an unusable target URL, a model that
 * cannot be replayed. The message says what is wrong and what to do.
 */
public class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
