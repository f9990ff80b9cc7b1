package dev.reprise.model;

/**
 * A problem the user can act on: the store file is unusable, a model edit is invalid, a query fails.
 * The message says what is wrong and, where possible, what to do. Bugs are not reported with this type.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
