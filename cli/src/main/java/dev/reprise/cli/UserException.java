package dev.reprise.cli;

/** A user error found by the CLI itself (a missing file, an option combination that cannot work). */
final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserException(String message) {
        super(message);
    }
}
