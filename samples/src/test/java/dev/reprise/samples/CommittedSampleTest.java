package dev.reprise.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Guards the committed samples/access.log.gz and access.truth.json against drift: any change to
 * the generator's output fails here. After an intended change, regenerate them with
 * {@code mvn -pl samples test -Dtest=CommittedSampleTest -Dreprise.samples.regenerate=true}.
 */
class CommittedSampleTest {
    private static final boolean REGENERATE = Boolean.getBoolean("reprise.samples.regenerate");

    @Test
    void committedLogAndTruthAreWhatTheGeneratorMakesWithDefaults() throws IOException {
        if (REGENERATE) {
            // Surefire runs in the module's directory, which holds the committed files.
            SampleGenerator.generate(SampleGenerator.Options.defaults(), Path.of("access.log.gz"),
                    Path.of("access.truth.json"));
            Assumptions.abort("regenerated access.log.gz and access.truth.json; rebuild to check them");
        }
        GeneratedSample expected = GeneratedSample.of(SampleGenerator.Options.defaults());
        try (InputStream log = SampleGenerator.bundledLog(); InputStream truth = SampleGenerator.bundledTruth()) {
            assertThat(GeneratedSample.gunzip(log)).isEqualTo(expected.log());
            assertThat(new String(truth.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected.truthText());
        }
    }
}
