package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.examples.quickstart.Quickstart;
import io.github.bert4j.examples.quickstart.QuickstartOptions;
import io.github.bert4j.examples.quickstart.QuickstartResult;
import io.github.bert4j.tokenizer.Tokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.align.Entity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI smoke test of the README's main command: {@code quickstart --preset tiny}. */
class QuickstartTinyTest {

    @TempDir
    Path work;

    @Test
    void tinyQuickstartProducesALoadableModelAndFiniteMetrics() throws Exception {
        long t0 = System.nanoTime();
        QuickstartResult r = Quickstart.run(new QuickstartOptions(QuickstartOptions.Preset.TINY, work,
                TestData.root().resolve("examples").resolve("configs")));
        System.out.print(r.table());
        System.out.printf("tiny quickstart took %.1f s%n", (System.nanoTime() - t0) / 1e9);

        assertThat(r.encoderDir().resolve("config.json")).isRegularFile();
        assertThat(r.encoderDir().resolve("model.safetensors")).isRegularFile();
        assertThat(Tokenizer.load(r.encoderDir()).vocab().size()).isGreaterThan(100);
        assertThat(r.pretrainValid()).containsKeys("valid_mlm_acc", "valid_nsp_acc");
        assertThat(r.pretrainValid().values()).allMatch(Double::isFinite);
        assertThat(work.resolve("mlruns")).isDirectory();

        // the NER model directory is complete and loads; metrics exist and are finite fractions
        assertThat(r.modelDir()).isEqualTo(work.resolve("ner").toAbsolutePath().normalize());
        assertThat(r.nerTest()).containsKeys("entity_macro_f1", "char_macro_f1", "entity_micro_f1", "token_micro_f1");
        assertThat(r.nerTest().values()).allMatch(v -> Double.isFinite(v) && v >= 0 && v <= 1);
        try (NerPredictor predictor = NerPredictor.load(r.modelDir())) {
            String sentence = Quickstart.EXAMPLE_SENTENCES.get(1);
            for (Entity e : predictor.predict(sentence)) {
                assertThat(sentence.substring(e.start(), e.end())).isEqualTo(e.text());
            }
        }
        assertThat(r.tagged()).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 3; i++) {
            assertThat(json.readTree(r.tagged().get(i)).get("text").asText()).isEqualTo(Quickstart.EXAMPLE_SENTENCES.get(i));
        }
        assertThat(r.table()).contains("NER test entity macro F1").contains(r.modelDir().toString());
        // two tracked runs (pretraining and NER) in the MLflow layout, with plots
        try (Stream<Path> files = Files.walk(work.resolve("mlruns"))) {
            List<Path> all = files.toList();
            assertThat(all).filteredOn(f -> f.getFileName().toString().equals("meta.yaml")
                    && f.getParent().getParent().getParent().equals(work.resolve("mlruns"))).hasSize(2);
            assertThat(all).anyMatch(f -> f.toString().endsWith(".png"));
        }
        // the closing table says where both runs' plots are, and that tiny's near-zero F1 is expected
        assertThat(r.plotDirs()).hasSize(2).allMatch(d -> d.getFileName().toString().equals("artifacts"));
        for (Path d : r.plotDirs()) {
            assertThat(r.table()).contains("plots (PNG per metric) and metrics.csv: " + d);
        }
        assertThat(r.table()).contains("an\n   NER F1 of 0 and \"no entities found\" are expected");
    }
}
