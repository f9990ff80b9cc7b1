package dev.reprise.ingest;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.model.SourceLoad;
import dev.reprise.model.SourceSpec;
import dev.reprise.model.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What every kind of ingest (nginx, CSV, JSON lines) checks before it reads anything, and asks of the
 * store before it loads a file: the same rules and the same messages whatever the format.
 */
final class SourceFiles {

    private SourceFiles() {
    }

    /** Refuses a salt with anonymization off, and an empty salt. */
    static void checkSalt(String salt, boolean anonymize) {
        if (salt != null && !anonymize) {
            throw new IngestException("a salt keys the anonymization, which is off; drop the salt or keep "
                    + "anonymization on");
        }
        if (salt != null && salt.isEmpty()) {
            throw new IngestException("the anonymization salt is empty; give a secret phrase, or no salt to use "
                    + "the store's own key");
        }
    }

    /**
     * Refuses an empty list ({@code noneGiven} is the message), any file that cannot be read, and
     * {@link NginxIngest#STDIN} ({@code -}) named more than once or when there is no {@code standardInput}.
     */
    static void checkFiles(List<Path> files, String noneGiven, java.io.InputStream standardInput) {
        if (files.isEmpty()) {
            throw new IngestException(noneGiven);
        }
        long stdinCount = files.stream().filter(NginxIngest.STDIN::equals).count();
        if (stdinCount > 0 && standardInput == null) {
            throw new IngestException("'-' (standard input) cannot be read here; name the files");
        }
        if (stdinCount > 1) {
            throw new IngestException("'-' (standard input) is named " + stdinCount + " times; it can be read once");
        }
        for (Path file : files) {
            if (!NginxIngest.STDIN.equals(file)) {
                checkReadable(file);
            }
        }
    }

    /** The name of {@code file} in messages and rejects: the path, or "(standard input)" for {@code -}. */
    static String displayName(Path file) {
        return NginxIngest.STDIN.equals(file) ? STANDARD_INPUT : file.toString();
    }

    /** The file's name alone, as rejects and progress show it, or "(standard input)" for {@code -}. */
    static String shortName(Path file) {
        return NginxIngest.STDIN.equals(file) ? STANDARD_INPUT : file.getFileName().toString();
    }

    static final String STANDARD_INPUT = "(standard input)";

    static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new IngestException(file + ": no such file; check the path");
        }
        if (Files.isDirectory(file)) {
            throw new IngestException(file + ": is a directory; name the files in it (for example "
                    + file.resolve("access.log*") + ")");
        }
        if (!Files.isReadable(file)) {
            throw new IngestException(file + ": cannot be read; check its permissions");
        }
    }

    /**
     * A file about to be loaded: its size, its fingerprint and the source already loaded with the same
     * fingerprint, if any. {@link NginxIngest#STDIN} is a candidate too: size unknown (0), no fingerprint,
     * so it is never skipped or replaced as loaded before.
     */
    record Candidate(Path file, long sizeBytes, String fingerprint, Optional<Integer> earlier) {

        static Candidate of(Store store, Path file) {
            if (NginxIngest.STDIN.equals(file)) {
                return new Candidate(file, 0, null, Optional.empty());
            }
            try {
                long sizeBytes = Files.size(file);
                String fingerprint = NginxIngest.fingerprint(file, sizeBytes);
                return new Candidate(file, sizeBytes, fingerprint, store.findLoadedSource(fingerprint));
            } catch (IOException e) {
                throw new IngestException(file + ": cannot read the file: " + e.getMessage(), e);
            }
        }

        /** The skip, reported to {@code progress}, when the file was loaded before and is not to be replaced. */
        Optional<FileResult> skipped(boolean replace, IngestProgress progress) {
            if (earlier.isEmpty() || replace) {
                return Optional.empty();
            }
            String message = file + ": skipped, the same content (first 64 KiB and size) is already loaded as "
                    + "source " + earlier.get() + " (--replace reloads it)";
            progress.skipped(file, message);
            return Optional.of(FileResult.skipped(file, message));
        }

        /** What {@code sources.uri} records: the absolute path, or {@code -} for standard input. */
        String uri() {
            return NginxIngest.STDIN.equals(file) ? file.toString() : file.toAbsolutePath().toString();
        }

        /** The bytes to read: the file's, or {@code standardInput} for {@code -}. */
        java.io.InputStream open(java.io.InputStream standardInput) throws IOException {
            return NginxIngest.STDIN.equals(file) ? standardInput : Files.newInputStream(file);
        }

        /** The error for an I/O failure while reading the candidate. */
        IngestException cannotRead(IOException e) {
            return new IngestException((NginxIngest.STDIN.equals(file) ? STANDARD_INPUT + ": cannot read: "
                    : file + ": cannot read the file: ") + e.getMessage(), e);
        }

        /** Begins the source's transaction, replacing the earlier source when there is one. */
        SourceLoad begin(Store store, SourceSpec spec) {
            return earlier.isEmpty() ? store.beginSource(spec) : store.beginSourceReplacing(spec, earlier.get());
        }
    }
}
