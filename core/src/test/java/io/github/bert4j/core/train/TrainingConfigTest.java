package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import io.github.bert4j.core.config.ConfigLoader.Format;
import io.github.bert4j.core.train.TrainingConfig.BestMode;
import io.github.bert4j.core.train.TrainingConfig.Scheduler;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    private static TrainingConfig yaml(String text) {
        return ConfigLoader.parse(text, Format.YAML, TrainingConfig.class, "pretrain.yaml");
    }

    @Test
    void missingKeysTakeDefaults() {
        TrainingConfig c = yaml("lr: 0.0005\n");
        assertThat(c).isEqualTo(TrainingConfig.builder().lr(5e-4).build());
        TrainingConfig d = TrainingConfig.defaults();
        assertThat(d.weightDecay()).isEqualTo(0.01);
        assertThat(d.adamBeta1()).isEqualTo(0.9);
        assertThat(d.adamBeta2()).isEqualTo(0.999);
        assertThat(d.adamEps()).isEqualTo(1e-6);
        assertThat(d.maxGradNorm()).isEqualTo(1.0);
        assertThat(d.gradAccumulation()).isEqualTo(1);
        assertThat(d.maxSteps()).isEqualTo(-1);
        assertThat(d.logEvery()).isEqualTo(10);
        assertThat(d.bestMetric()).isEqualTo("valid_loss");
        assertThat(d.bestMode()).isEqualTo(BestMode.MIN);
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.trainMlm()).isTrue();
        assertThat(d.trainNsp()).isTrue();
    }

    @Test
    void readsTheReferenceProjectSpellings() {
        TrainingConfig c = yaml("""
                n_epochs: 3
                batch_size: 64
                lr: 1.0e-4
                scheduler: reduce_on_plateau
                warmup_steps: 100
                train_mlm: true
                train_nsp: false
                """);
        assertThat(c.epochs()).isEqualTo(3);
        assertThat(c.batchSize()).isEqualTo(64);
        assertThat(c.scheduler()).isEqualTo(Scheduler.PLATEAU);
        assertThat(c.warmupSteps()).isEqualTo(100);
        assertThat(c.trainNsp()).isFalse();
        assertThat(yaml("scheduler: constant_with_warmup").scheduler()).isEqualTo(Scheduler.CONSTANT);
        assertThat(yaml("scheduler: LINEAR").scheduler()).isEqualTo(Scheduler.LINEAR);
        assertThat(yaml("learning_rate: 0.01\ngradient_accumulation_steps: 4").gradAccumulation()).isEqualTo(4);
        assertThat(yaml("best_mode: max").bestMode()).isEqualTo(BestMode.MAX);
    }

    @Test
    void roundTripsThroughJsonAndYaml() {
        TrainingConfig c = TrainingConfig.builder().epochs(2).maxSteps(100).gradAccumulation(2).lr(3e-4)
                .scheduler(Scheduler.PLATEAU).plateau(0.25, 3, 1e-6).best("valid_f1", BestMode.MAX)
                .seed(7).resume(true).build();
        assertThat(ConfigLoader.parse(ConfigLoader.toJson(c), Format.JSON, TrainingConfig.class, "x.json")).isEqualTo(c);
        assertThat(yaml(ConfigLoader.toYaml(c))).isEqualTo(c);
        assertThat(ConfigLoader.toJson(c)).contains("\"grad_accumulation\"").contains("\"reduce_on_plateau\"")
                .doesNotContain("gradAccumulation");
    }

    @Test
    void invalidValuesNameKeyExpectationValueAndFile() {
        assertThatThrownBy(() -> yaml("lr: -1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("lr must be > 0, got -1.0 (pretrain.yaml)");
        assertThatThrownBy(() -> yaml("batch_size: 0")).hasMessageContaining("batch_size must be > 0, got 0");
        assertThatThrownBy(() -> yaml("adam_beta2: 1.0")).hasMessageContaining("adam_beta2 must be in [0, 1)");
        assertThatThrownBy(() -> yaml("max_steps: 0")).hasMessageContaining("max_steps must be -1 (by epochs) or > 0");
        assertThatThrownBy(() -> yaml("scheduler: cosine"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scheduler").hasMessageContaining("cosine");
        assertThatThrownBy(() -> yaml("lrr: 0.1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key lrr");
        assertThatThrownBy(() -> TrainingConfig.builder().warmupSteps(10).maxSteps(5).build())
                .hasMessageContaining("warmup_steps must be <= max_steps (5), got 10");
    }
}
