package dev.reprise.samples;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Generates one day of a realistic e-commerce shop's nginx access log ({@code combined} format)
 * together with its ground truth: the planted behaviour segments and their navigation chains,
 * think times, the diurnal arrival curve, the flash-sale spike, and every session. Tests of model
 * building compare what they recover against the truth.
 *
 * <p>Output is a pure function of the {@link Options}: the same options give byte-identical logs
 * on any JVM. Lines are sorted by time (one-second resolution, {@code +0000}), end in {@code \n},
 * and number exactly {@link Options#lines()}. Memory is O(sessions), not O(lines): the sessions are
 * planned up front and each is re-simulated from its own seed while the lines are written, so
 * multi-million-line logs for ingest benchmarks stream in constant memory per session.
 *
 * <p>Stateless and thread-safe. samples/README.md describes the shop, the behaviour and the truth
 * file format.
 *
 * <pre>{@code
 * SampleGenerator.Summary made = SampleGenerator.generate(
 *         SampleGenerator.Options.defaults().withLines(2_000_000),
 *         Path.of("access.log.gz"), Path.of("access.truth.json"));
 * }</pre>
 */
public final class SampleGenerator {
    /** Classpath folder of the committed sample (copied into the jar by samples/pom.xml). */
    private static final String BUNDLE = "/dev/reprise/samples/";
    private static final int FILE_BUFFER_BYTES = 1 << 20;

    private SampleGenerator() {
    }

    /**
     * What to generate.
     *
     * @param lines number of log lines, damaged ones included ({@code >= 0})
     * @param seed  the seed every random draw derives from
     * @param day   the (UTC) day the log covers, 00:00:00 to 23:59:59
     */
    public record Options(long lines, long seed, LocalDate day) {
        /** Lines of the committed sample. */
        public static final long DEFAULT_LINES = 50_000;
        /** Seed of the committed sample. */
        public static final long DEFAULT_SEED = 42;
        /** Day of the committed sample. */
        public static final LocalDate DEFAULT_DAY = LocalDate.of(2026, 3, 14);

        public Options {
            if (lines < 0) {
                throw new IllegalArgumentException("lines must be >= 0, got " + lines);
            }
            Objects.requireNonNull(day, "day");
        }

        /** 50,000 lines, seed 42, 2026-03-14: the options of the committed sample. */
        public static Options defaults() {
            return new Options(DEFAULT_LINES, DEFAULT_SEED, DEFAULT_DAY);
        }

        public Options withLines(long newLines) {
            return new Options(newLines, seed, day);
        }

        public Options withSeed(long newSeed) {
            return new Options(lines, newSeed, day);
        }

        public Options withDay(LocalDate newDay) {
            return new Options(lines, seed, newDay);
        }
    }

    /**
     * What was generated.
     *
     * @param lines        lines written ({@code = requests + damagedLines})
     * @param requests     well-formed request lines, each belonging to a session
     * @param damagedLines lines nginx writes for garbage on the port (empty connections, TLS handshakes)
     * @param sessions     planted sessions (visits)
     */
    public record Summary(long lines, long requests, long damagedLines, long sessions) {
    }

    /**
     * Writes the log to {@code logFile} (gzip-compressed when its name ends in {@code .gz}) and the
     * ground truth JSON to {@code truthFile}, replacing existing files.
     */
    public static Summary generate(Options options, Path logFile, Path truthFile) throws IOException {
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(truthFile, "truthFile");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(logFile), FILE_BUFFER_BYTES);
                OutputStream log = isGzip(logFile) ? new GZIPOutputStream(file, FILE_BUFFER_BYTES) : file;
                Writer logWriter = new OutputStreamWriter(log, StandardCharsets.UTF_8);
                Writer truthWriter = Files.newBufferedWriter(truthFile, StandardCharsets.UTF_8)) {
            return generate(options, logWriter, truthWriter);
        }
    }

    /**
     * Streams the log to {@code log} and the ground truth JSON to {@code truth}; flushes both and
     * closes neither.
     */
    public static Summary generate(Options options, Writer log, Writer truth) throws IOException {
        Objects.requireNonNull(truth, "truth");
        return run(options, log, truth);
    }

    /** Streams the log alone to {@code log}; flushes it and does not close it. */
    public static Summary generate(Options options, Writer log) throws IOException {
        return run(options, log, null);
    }

    private static Summary run(Options options, Writer log, Writer truth) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(log, "log");
        ArrivalCurve curve = new ArrivalCurve();
        SessionPlan plan = SessionPlan.of(options.lines(), options.seed(), curve);
        Catalog catalog = new Catalog(options.seed());
        AccessLogRenderer.Tally tally = new AccessLogRenderer(plan, catalog, options.day(), log).render();
        log.flush();
        if (tally.lines != options.lines()) {
            throw new IllegalStateException("wrote " + tally.lines + " lines, planned " + options.lines());
        }
        if (truth != null) {
            new GroundTruthWriter(options, plan, tally, curve).write(truth);
        }
        return new Summary(tally.lines, tally.requests, tally.lines - tally.requests, plan.sessions);
    }

    /** The committed sample log (50,000 lines, {@link Options#defaults()}), gzip-compressed as committed. */
    public static InputStream bundledLog() {
        return bundled("access.log.gz");
    }

    /** The ground truth JSON of {@link #bundledLog()}. */
    public static InputStream bundledTruth() {
        return bundled("access.truth.json");
    }

    private static InputStream bundled(String name) {
        InputStream in = SampleGenerator.class.getResourceAsStream(BUNDLE + name);
        if (in == null) {
            throw new IllegalStateException(BUNDLE + name + " is missing from the classpath; "
                    + "the reprise-samples jar is built without the committed sample");
        }
        return in;
    }

    private static boolean isGzip(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(".gz");
    }

    /**
     * Regenerates sample files: {@code [--lines N] [--seed S] [--day YYYY-MM-DD] [--out access.log.gz]
     * [--truth access.truth.json]}, defaults as {@link Options#defaults()}. Prints nothing; a bad
     * argument throws {@link IllegalArgumentException} with what was expected. The CLI's
     * {@code reprise samples generate} is the user-facing way to do this.
     */
    public static void main(String[] args) throws IOException {
        Options options = Options.defaults();
        Path out = Path.of("access.log.gz");
        Path truth = Path.of("access.truth.json");
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[i + 1];
            try {
                switch (name) {
                    case "--lines" -> options = options.withLines(Long.parseLong(value.replace("_", "")));
                    case "--seed" -> options = options.withSeed(Long.parseLong(value));
                    case "--day" -> options = options.withDay(LocalDate.parse(value));
                    case "--out" -> out = Path.of(value);
                    case "--truth" -> truth = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name
                            + "; expected --lines, --seed, --day, --out or --truth");
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": cannot read '" + value + "' (expected "
                        + (name.equals("--day") ? "YYYY-MM-DD" : "an integer") + ")", e);
            }
        }
        generate(options, out, truth);
    }
}
