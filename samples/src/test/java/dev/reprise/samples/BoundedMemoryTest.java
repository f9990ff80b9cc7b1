package dev.reprise.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Generation keeps O(sessions) in memory, not O(lines): two million lines (about 440 MB of text)
 * go through a JVM whose whole heap is 128 MB.
 */
class BoundedMemoryTest {
    @Test
    void twoMillionLinesGenerateWithinA128MegabyteHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                TwoMillionLines.class.getName())
                .redirectErrorStream(true)
                .start();
        boolean finished = child.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("finished in time").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output.strip()).startsWith("Summary[lines=2000000, requests=1999");
    }

    /** The child JVM: log and truth into writers that count and discard. */
    static final class TwoMillionLines {
        public static void main(String[] args) throws IOException {
            SampleGenerator.Summary summary = SampleGenerator.generate(
                    SampleGenerator.Options.defaults().withLines(2_000_000), new CountingWriter(), new CountingWriter());
            System.out.println(summary);
        }
    }

    static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars += length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
