package dev.reprise.ingest;

import dev.reprise.model.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The earlier content of a log that grew since it was loaded: a loaded source whose fingerprint
 * ({@code sha256-64k:<SHA-256 of the first 64 KiB>:<size>}) matches the start of the file, which
 * is longer, and which ends where a line (or, for gzip, a member) ends. Only the part after it is
 * loaded then, its lines numbered on from the source's last line.
 *
 * <p>The match is the head's hash and the length, not a hash of the whole earlier content (which
 * would cost reading every file twice): a log written by appending keeps its first 64 KiB, and a
 * rewritten one (new dates in its first lines) does not.
 *
 * @param sourceId   the source holding the earlier content
 * @param sizeBytes  how many bytes of the file it holds
 * @param lastLineNo the last line it holds
 */
record AppendedPrefix(int sourceId, long sizeBytes, long lastLineNo) {
    private static final String PREFIX = "sha256-64k:";

    /** The longest loaded prefix of {@code file}, if any. */
    static Optional<AppendedPrefix> find(Store store, Path file, long sizeBytes) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(NginxIngest.FINGERPRINT_BYTES);
        }
        boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        AppendedPrefix best = null;
        for (Store.LoadedSource source : store.loadedSources()) {
            String fingerprint = source.fingerprint();
            int sizeStart = fingerprint.lastIndexOf(':');
            if (!fingerprint.startsWith(PREFIX) || sizeStart <= PREFIX.length()) {
                continue;
            }
            long earlierSize;
            try {
                earlierSize = Long.parseLong(fingerprint.substring(sizeStart + 1));
            } catch (NumberFormatException e) {
                continue; // not a fingerprint this version wrote
            }
            if (earlierSize <= 0 || earlierSize >= sizeBytes || best != null && earlierSize <= best.sizeBytes) {
                continue;
            }
            int hashed = (int) Math.min(earlierSize, NginxIngest.FINGERPRINT_BYTES);
            String headHash = sha256(head, hashed);
            if (!fingerprint.substring(PREFIX.length(), sizeStart).equals(headHash)
                    || !endsWhereAnotherStarts(file, earlierSize, gzip)) {
                continue;
            }
            best = new AppendedPrefix(source.sourceId(), earlierSize, store.lastLineNo(source.sourceId()));
        }
        return Optional.ofNullable(best);
    }

    /** A plain log's prefix must end with its last line's '\n'; a gzip one where a new member starts. */
    private static boolean endsWhereAnotherStarts(Path file, long offset, boolean gzip) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(gzip ? offset : offset - 1);
            byte[] b = in.readNBytes(2);
            return gzip ? b.length == 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b : b.length >= 1 && b[0] == '\n';
        }
    }

    private static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime; this is a bug", e);
        }
    }
}
