package dev.reprise.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a user names on the command line into the log files to load, in load order: a file
 * as is, a directory as the files in it (hidden ones left out), a glob ({@code 'logs/access.log*'},
 * quoted so the shell leaves it) as the files it matches. Rotated sets are put in time order,
 * oldest first, as logrotate numbers them: {@code access.log.3.gz}, {@code access.log.2.gz},
 * {@code access.log.1}, {@code access.log}. Each file appears once. {@code -} (standard input) is
 * passed on as {@link NginxIngest#STDIN}.
 *
 * <pre>{@code
 * List<Path> files = InputFiles.expand(List.of("/var/log/nginx", "old/*.gz"));
 * }</pre>
 */
public final class InputFiles {
    /** {@code name[.N][.gz]}: the base name and the rotation number of a rotated log. */
    private static final Pattern ROTATED = Pattern.compile("(.*?)(?:\\.(\\d+))?(\\.gz)?");

    private InputFiles() {
    }

    /**
     * Expands {@code names} into files in load order.
     *
     * @throws IngestException when a name is missing, or a directory or glob yields no file
     */
    public static List<Path> expand(List<String> names) {
        Set<Path> files = new LinkedHashSet<>();
        for (String name : names) {
            List<Path> found;
            if (name.equals("-")) {
                found = List.of(NginxIngest.STDIN);
            } else if (isGlob(name)) {
                found = matchGlob(name);
                if (found.isEmpty()) {
                    throw new IngestException("'" + name + "' matches no file; check the pattern");
                }
            } else {
                Path path = Path.of(name);
                if (Files.isDirectory(path)) {
                    found = listDirectory(path);
                    if (found.isEmpty()) {
                        throw new IngestException(name + ": the directory holds no log file");
                    }
                } else {
                    found = List.of(path); // a missing file is reported by the ingest with its name
                }
            }
            files.addAll(inRotationOrder(found));
        }
        return List.copyOf(files);
    }

    /** Groups rotated files by base name (first appearance order) and sorts each group oldest first. */
    static List<Path> inRotationOrder(List<Path> files) {
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        for (Path file : files) {
            groups.computeIfAbsent(baseName(file), k -> new ArrayList<>()).add(file);
        }
        List<Path> ordered = new ArrayList<>(files.size());
        for (List<Path> group : groups.values()) {
            group.sort(Comparator.comparingLong(InputFiles::rotation).reversed()
                    .thenComparing(p -> p.getFileName().toString()));
            ordered.addAll(group);
        }
        return ordered;
    }

    private static String baseName(Path file) {
        Matcher m = ROTATED.matcher(file.getFileName().toString());
        m.matches();
        Path parent = file.toAbsolutePath().getParent();
        return (parent == null ? "" : parent.toString()) + "/" + m.group(1);
    }

    /** The logrotate number: 0 for the live file, N for {@code .N} and {@code .N.gz}. */
    private static long rotation(Path file) {
        Matcher m = ROTATED.matcher(file.getFileName().toString());
        m.matches();
        String digits = m.group(2);
        return digits == null ? 0 : digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0 || name.indexOf('{') >= 0;
    }

    /** A glob in its last path element only ({@code dir/access.log*}), as shells most often use it. */
    private static List<Path> matchGlob(String pattern) {
        Path asPath = Path.of(pattern);
        Path parent = asPath.getParent() == null ? Path.of(".") : asPath.getParent();
        if (isGlob(parent.toString())) {
            throw new IngestException("'" + pattern + "': a pattern may only be in the file name, not in the directories");
        }
        if (!Files.isDirectory(parent)) {
            throw new IngestException("'" + pattern + "': the directory " + parent + " does not exist");
        }
        PathMatcher matcher = parent.getFileSystem().getPathMatcher("glob:" + asPath.getFileName());
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName()) && Files.isRegularFile(entry)) {
                    found.add(asPath.getParent() == null ? entry.getFileName() : entry);
                }
            }
        } catch (IOException e) {
            throw new IngestException("'" + pattern + "': cannot list " + parent + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }

    private static List<Path> listDirectory(Path dir) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && !entry.getFileName().toString().startsWith(".")) {
                    found.add(entry);
                }
            }
        } catch (IOException e) {
            throw new IngestException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }
}
