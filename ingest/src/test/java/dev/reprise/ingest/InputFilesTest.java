package dev.reprise.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryYieldsItsRotatedSetOldestFirstAndLeavesHiddenFilesOut() throws IOException {
        for (String name : List.of("access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz",
                "error.log", "error.log.1", ".hidden")) {
            Files.writeString(dir.resolve(name), "x\n");
        }
        Files.createDirectory(dir.resolve("sub"));

        assertThat(names(InputFiles.expand(List.of(dir.toString())))).containsExactly(
                "access.log.10.gz", "access.log.2.gz", "access.log.1", "access.log", "error.log.1", "error.log");
    }

    @Test
    void aGlobMatchesInTheFileNameAndKeepsRotationOrder() throws IOException {
        for (String name : List.of("access.log", "access.log.1", "access.log.2.gz", "other.txt")) {
            Files.writeString(dir.resolve(name), "x\n");
        }

        assertThat(names(InputFiles.expand(List.of(dir.resolve("access.log*").toString()))))
                .containsExactly("access.log.2.gz", "access.log.1", "access.log");
    }

    @Test
    void namesEachFileOnceInTheOrderGivenAcrossArguments() throws IOException {
        Path a = Files.writeString(dir.resolve("b.log"), "x\n");
        Path b = Files.writeString(dir.resolve("a.log"), "x\n");

        assertThat(InputFiles.expand(List.of(a.toString(), b.toString(), a.toString()))).containsExactly(a, b);
    }

    @Test
    void refusesAGlobThatMatchesNothingAndAnEmptyDirectory() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));

        assertThatThrownBy(() -> InputFiles.expand(List.of(dir.resolve("*.gz").toString())))
                .isInstanceOf(IngestException.class).hasMessageContaining("*.gz' matches no file");
        assertThatThrownBy(() -> InputFiles.expand(List.of(empty.toString())))
                .isInstanceOf(IngestException.class).hasMessageContaining("holds no log file");
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }
}
