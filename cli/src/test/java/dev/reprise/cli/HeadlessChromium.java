package dev.reprise.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a local HTML file in the real headless Chromium (Debian package {@code chromium}) with no way
 * out to the network: every connection goes to a proxy at 127.0.0.1:9 where nothing listens, loopback
 * included, so a page that needs a CDN fails to draw and logs the failed load. Returns the DOM after
 * the page's scripts have run ({@code --dump-dom} after a virtual-time budget) and every console
 * message ({@code --enable-logging=stderr} prints them as {@code INFO:CONSOLE} lines).
 *
 * <p>Without Chromium the test is skipped with a message, except under {@code CI=true}, where it fails:
 * .ci/run installs Chromium, so a missing one there is a broken CI machine, not a reason to skip.
 */
final class HeadlessChromium {
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[^\\]]*\\] (.*)$", Pattern.MULTILINE);
    private static final long TIMEOUT_SECONDS = 90;

    record Page(String dom, List<String> consoleMessages, Path screenshot) {
    }

    private HeadlessChromium() {
    }

    /** Whether the browser checks must run: Chromium is installed, or CI=true (where its absence fails). */
    static boolean isRequired() {
        return find() != null || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The Chromium executable; skips (or fails under CI=true) when there is none. */
    static String executableOrSkip() {
        String found = find();
        if (found != null) {
            return found;
        }
        String message = "headless Chromium is not installed (apt-get install -y chromium); the browser tests of the "
                + "HTML report need it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " and CI=true, where .ci/run installs it");
        }
        Assumptions.abort(message + "; skipped because CI is not set");
        throw new IllegalStateException("unreachable");
    }

    private static String find() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    /** Loads {@code html}, lets its scripts run for up to 5 s of virtual time, returns DOM and console. */
    static Page open(Path html, Path workDirectory) throws IOException, InterruptedException {
        return run(html, workDirectory, null);
    }

    /** As {@link #open}, and also writes a PNG screenshot of a {@code width}×{@code height} window. */
    static Page screenshot(Path html, Path workDirectory, Path png, int width, int height)
            throws IOException, InterruptedException {
        return run(html, workDirectory, new Object[] {png, width, height});
    }

    private static Page run(Path html, Path workDirectory, Object[] shot) throws IOException, InterruptedException {
        String chromium = executableOrSkip();
        Path profile = Files.createTempDirectory(workDirectory, "chromium-profile-");
        Path out = workDirectory.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = workDirectory.resolve("chromium-" + System.nanoTime() + ".err");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
        if (shot != null) {
            command.add("--window-size=" + shot[1] + "," + shot[2]);
            command.add("--hide-scrollbars");
            command.add("--screenshot=" + ((Path) shot[0]).toAbsolutePath());
        } else {
            command.add("--window-size=1280,2000");
            command.add("--dump-dom");
        }
        command.add(html.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + Files.readString(err));
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("chromium exited with " + p.exitValue() + ": " + stderr);
        }
        List<String> console = new ArrayList<>();
        Matcher m = CONSOLE.matcher(stderr);
        while (m.find()) {
            console.add(m.group(1));
        }
        return new Page(Files.readString(out, StandardCharsets.UTF_8), console, shot == null ? null : (Path) shot[0]);
    }
}
