package io.github.bert4j.bert.pretraining;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What killed pretraining runs leave in the output directory is cleared at the next start (issue 15, item 3). */
class PretrainerLeftoversTest {

    @TempDir
    Path out;

    @Test
    void staleModelCopiesStagingDirectoriesAndTemporariesAreRemoved() throws IOException {
        // a bert4j version before the atomic model directory: a full model copy per kill
        Files.createDirectories(out.resolve(".model-8851236042127702717"));
        Files.writeString(out.resolve(".model-8851236042127702717/model.safetensors"), "440 MB at BERT-base");
        // this version, killed while the new model directory was staged
        Files.createDirectories(out.resolve(".model.staging"));
        Files.writeString(out.resolve(".model.staging/config.json"), "{}");
        // killed between "model -> model.old" and "staging -> model" of an older replacement
        Files.createDirectories(out.resolve("model.old"));
        Files.writeString(out.resolve("model.old/config.json"), "{\"good\": 1}");
        Files.writeString(out.resolve(".stamp.txt.3f2a9c01b7e4d5c6.tmp"), "half");
        Files.createDirectories(out.resolve("shards"));

        Pretrainer.removeLeftovers(out);

        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("model", "shards");
        }
        assertThat(Files.readString(out.resolve("model/config.json"))).isEqualTo("{\"good\": 1}");
    }
}
