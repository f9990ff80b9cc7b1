package dev.reprise.ingest;

import dev.reprise.ingest.record.FieldMapping;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How {@link JsonLinesIngest} reads JSON-lines logs.
 *
 * @param mapping   which key fills which column of {@code requests} ({@link FieldMapping#parse}, or
 *                  {@link FieldMapping#fromJsonLogFormat} for an nginx {@code escape=json} format)
 * @param tsFormat  as {@link CsvOptions#tsFormat()}
 * @param zone      the zone of times written without an offset
 * @param anonymize as {@link NginxOptions#anonymize()}
 * @param salt      as {@link NginxOptions#salt()}
 * @param replace   as {@link NginxOptions#replace()}
 */
public record JsonLinesOptions(FieldMapping mapping, String tsFormat, ZoneId zone, boolean anonymize, String salt,
                               boolean replace) {
    public JsonLinesOptions {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(zone, "zone");
        tsFormat = tsFormat == null ? "auto" : tsFormat;
    }

    /** Automatic timestamps in UTC, anonymized with the store's key. */
    public static JsonLinesOptions of(FieldMapping mapping) {
        return new JsonLinesOptions(mapping, "auto", ZoneOffset.UTC, true, null, false);
    }

    public JsonLinesOptions withTsFormat(String newTsFormat) {
        return new JsonLinesOptions(mapping, newTsFormat, zone, anonymize, salt, replace);
    }

    public JsonLinesOptions withAnonymize(boolean newAnonymize) {
        return new JsonLinesOptions(mapping, tsFormat, zone, newAnonymize, salt, replace);
    }

    public JsonLinesOptions withReplace(boolean newReplace) {
        return new JsonLinesOptions(mapping, tsFormat, zone, anonymize, salt, newReplace);
    }
}
