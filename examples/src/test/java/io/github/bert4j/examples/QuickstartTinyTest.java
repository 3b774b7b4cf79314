package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.examples.quickstart.Quickstart;
import io.github.bert4j.examples.quickstart.QuickstartOptions;
import io.github.bert4j.examples.quickstart.QuickstartResult;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.file.Path;
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
    }
}
