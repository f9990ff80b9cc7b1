package dev.reprise.ingest;

import dev.reprise.ingest.record.FieldMapping;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How {@link CsvIngest} reads CSV exports.
 *
 * @param mapping   which column fills which column of {@code requests} ({@link FieldMapping#parse})
 * @param tsFormat  how the time column is written: {@code auto}, {@code epoch_s}, {@code epoch_ms},
 *                  {@code epoch_us}, {@code iso8601}, {@code time_local} or a date-time pattern
 *                  ({@link dev.reprise.ingest.record.TimeFormat})
 * @param zone      the zone of times written without an offset
 * @param delimiter the column delimiter; null to detect it (among {@code , ; TAB |})
 * @param quote     the quote character; null to detect it ({@code "} or {@code '})
 * @param header    whether the first row names the columns; null: yes when the mapping names a
 *                  column, no when it only numbers them
 * @param anonymize as {@link NginxOptions#anonymize()}
 * @param salt      as {@link NginxOptions#salt()}
 * @param replace   as {@link NginxOptions#replace()}
 */
public record CsvOptions(FieldMapping mapping, String tsFormat, ZoneId zone, Character delimiter, Character quote,
                         Boolean header, boolean anonymize, String salt, boolean replace) {
    public CsvOptions {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(zone, "zone");
        tsFormat = tsFormat == null ? "auto" : tsFormat;
    }

    /** Detected delimiter, quote and header, automatic timestamps in UTC, anonymized with the store's key. */
    public static CsvOptions of(FieldMapping mapping) {
        return new CsvOptions(mapping, "auto", ZoneOffset.UTC, null, null, null, true, null, false);
    }

    public CsvOptions withTsFormat(String newTsFormat) {
        return new CsvOptions(mapping, newTsFormat, zone, delimiter, quote, header, anonymize, salt, replace);
    }

    public CsvOptions withZone(ZoneId newZone) {
        return new CsvOptions(mapping, tsFormat, newZone, delimiter, quote, header, anonymize, salt, replace);
    }

    public CsvOptions withDelimiter(Character newDelimiter) {
        return new CsvOptions(mapping, tsFormat, zone, newDelimiter, quote, header, anonymize, salt, replace);
    }

    public CsvOptions withQuote(Character newQuote) {
        return new CsvOptions(mapping, tsFormat, zone, delimiter, newQuote, header, anonymize, salt, replace);
    }

    public CsvOptions withHeader(Boolean newHeader) {
        return new CsvOptions(mapping, tsFormat, zone, delimiter, quote, newHeader, anonymize, salt, replace);
    }

    public CsvOptions withAnonymize(boolean newAnonymize) {
        return new CsvOptions(mapping, tsFormat, zone, delimiter, quote, header, newAnonymize, salt, replace);
    }

    public CsvOptions withSalt(String newSalt) {
        return new CsvOptions(mapping, tsFormat, zone, delimiter, quote, header, anonymize, newSalt, replace);
    }

    public CsvOptions withReplace(boolean newReplace) {
        return new CsvOptions(mapping, tsFormat, zone, delimiter, quote, header, anonymize, salt, newReplace);
    }
}
