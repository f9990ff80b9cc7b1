package dev.reprise.ingest;

import java.util.Objects;

/**
 * How {@link NginxIngest} reads nginx access logs.
 *
 * @param format    {@code combined}, {@code common}, {@code main}, a log_format string such as
 *                  {@code $remote_addr [$time_local] "$request" $status}, or a whole nginx.conf
 *                  {@code log_format} directive
 * @param anonymize replace client addresses, session ids and other identities with keyed
 *                  pseudonyms (the default); false stores them as logged and records that in
 *                  {@code sources.anonymized}
 * @param salt      null to key pseudonyms with the store's own key; otherwise a secret from which
 *                  the key is derived, so the same salt gives the same pseudonyms in every store
 * @param replace   reload a file whose content was loaded before (same fingerprint): its old
 *                  source is deleted in the same transaction that loads the new one; false skips
 *                  such a file
 * @param sessionFrom the variable that fills {@code session_hint} (e.g. {@code $cookie_sid},
 *                  {@code $http_x_reprise_session}); null to pick session cookies and headers automatically
 */
public record NginxOptions(String format, boolean anonymize, String salt, boolean replace, String sessionFrom) {
    public NginxOptions {
        Objects.requireNonNull(format, "format");
    }

    /** Options that skip files loaded before and find session ids automatically. */
    public NginxOptions(String format, boolean anonymize, String salt) {
        this(format, anonymize, salt, false, null);
    }

    public NginxOptions(String format, boolean anonymize, String salt, boolean replace) {
        this(format, anonymize, salt, replace, null);
    }

    /** The combined format, anonymized with the store's key. */
    public static NginxOptions defaults() {
        return new NginxOptions("combined", true, null);
    }

    public NginxOptions withFormat(String newFormat) {
        return new NginxOptions(newFormat, anonymize, salt, replace, sessionFrom);
    }

    public NginxOptions withAnonymize(boolean newAnonymize) {
        return new NginxOptions(format, newAnonymize, salt, replace, sessionFrom);
    }

    public NginxOptions withSalt(String newSalt) {
        return new NginxOptions(format, anonymize, newSalt, replace, sessionFrom);
    }

    public NginxOptions withReplace(boolean newReplace) {
        return new NginxOptions(format, anonymize, salt, newReplace, sessionFrom);
    }

    public NginxOptions withSessionFrom(String variable) {
        return new NginxOptions(format, anonymize, salt, replace, variable);
    }
}
