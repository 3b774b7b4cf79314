package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClassificationConfig}: defaults, the split keys, unknown keys, path resolution. */
class ClassificationConfigTest {

    @TempDir
    Path tmp;

    static ClassificationConfig parse(String yaml) {
        return ClassificationConfig.parse(yaml, ConfigLoader.Format.YAML, "cls.yaml");
    }

    @Test
    void absentKeysTakeTheClassificationDefaults() {
        ClassificationConfig c = parse("""
                data: {files: [a.jsonl]}
                model: {pretrained: enc}
                """);
        assertThat(c.data().textFields()).containsExactly("content");
        assertThat(c.data().labelField()).isEqualTo("category");
        assertThat(c.data().scheme()).isEqualTo(ClassificationSplit.Scheme.byIndex(10, 3, 7));
        assertThat(c.data().emptyText()).isEqualTo(LabelledTextReader.EmptyText.SKIP);
        assertThat(c.data().unknownLabels()).isEqualTo(ClassificationSplit.UnknownLabels.DROP);
        assertThat(c.model().maxLen()).isEqualTo(128);
        assertThat(c.model().headLrScale()).isEqualTo(1.0);
        assertThat(c.train().epochs()).isEqualTo(4);
        assertThat(c.train().batchSize()).isEqualTo(32);
        assertThat(c.train().lr()).isEqualTo(1e-4);
        assertThat(c.train().bestMetric()).isEqualTo("valid_macro_f1");
        assertThat(c.train().bestMode().jsonName()).isEqualTo("max");
        assertThat(c.train().evalEvery()).isZero();
        assertThat(c.tracking().experiment()).isEqualTo("classification");
        assertThat(c.output()).isNull();
    }

    @Test
    void aSingleTextFieldTheHoldOutSchemeAndOtherSpellingsLoad() {
        ClassificationConfig c = parse("""
                data: {files: [a.tsv], format: TSV, text_field: title, label_field: label,
                       test_holdout_fraction: 0.1, test_holdout_seed: 7, empty_text: error, unknown_labels: ERROR}
                model: {pretrained: enc, head_lr_scale: 10}
                train: {learning_rate: 5.0e-5, num_train_epochs: 3}
                """);
        assertThat(c.data().textFields()).containsExactly("title");
        assertThat(c.data().format()).isEqualTo(LabelledTextReader.Format.TSV);
        assertThat(c.data().scheme()).isEqualTo(ClassificationSplit.Scheme.pretrainingHoldout(0.1, 7, 10, 3));
        assertThat(c.data().testRemainder()).isNull();
        assertThat(c.train().lr()).isEqualTo(5e-5);
        assertThat(c.train().epochs()).isEqualTo(3);
        assertThat(c.model().headLrScale()).isEqualTo(10.0);
    }

    @Test
    void anUnknownKeyIsRejectedWithItsLineAndTheKnownKeys() {
        assertThatThrownBy(() -> parse("""
                data:
                  files: [a.jsonl]
                  text_feld: content
                model: {pretrained: enc}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key data.text_feld").hasMessageContaining("cls.yaml, line 3")
                .hasMessageContaining("text_fields").hasMessageContaining("label_field").hasMessageContaining("split_modulus");
        assertThatThrownBy(() -> parse("data: {files: [a]}\nmodel: {pretrained: e, max_lenght: 64}\n"))
                .hasMessageContaining("unknown key model.max_lenght").hasMessageContaining("max_len");
        assertThatThrownBy(() -> parse("data: {files: [a]}\nmodel: {pretrained: e}\nepochs: 3\n"))
                .hasMessageContaining("unknown key epochs").hasMessageContaining("train");
    }

    @Test
    void contradictionsAndBadValuesNameTheirKey() {
        assertThatThrownBy(() -> parse("data: {files: [a], test_remainder: 3}\nmodel: {pretrained: e}\n"))
                .hasMessageContaining("data.test_remainder").hasMessageContaining("not valid_remainder (3)");
        assertThatThrownBy(() -> parse("data: {files: [a], test_holdout_fraction: 0.1, test_remainder: 7}\nmodel: {pretrained: e}\n"))
                .hasMessageContaining("data.test_remainder").hasMessageContaining("null when test_holdout_fraction is set");
        assertThatThrownBy(() -> parse("data: {files: []}\nmodel: {pretrained: e}\n")).hasMessageContaining("data.files");
        assertThatThrownBy(() -> parse("data: {files: [a]}\nmodel: {tokenizer: null}\n")).hasMessageContaining("model.tokenizer");
        assertThatThrownBy(() -> parse("data: {files: [a]}\nmodel: {pretrained: e, max_len: 2}\n"))
                .hasMessageContaining("model.max_len");
        assertThatThrownBy(() -> parse("data: {files: [a], empty_text: maybe}\nmodel: {pretrained: e}\n"))
                .hasMessageContaining("data.empty_text");
    }

    @Test
    void relativePathsResolveAgainstTheConfigFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("configs"));
        Path file = dir.resolve("cls.yaml");
        Files.writeString(file, """
                data: {files: [../data/*.jsonl]}
                model: {pretrained: ../models/enc}
                tracking: {mlruns: ../mlruns}
                output: ../runs/cls
                """);
        ClassificationConfig c = ClassificationConfig.load(file);
        assertThat(c.data().files()).containsExactly(tmp.resolve("data/*.jsonl").toString());
        assertThat(Path.of(c.model().pretrained())).isEqualTo(tmp.resolve("models/enc"));
        assertThat(Path.of(c.tracking().mlruns())).isEqualTo(tmp.resolve("mlruns"));
        assertThat(Path.of(c.output())).isEqualTo(tmp.resolve("runs/cls"));
        assertThat(List.of(c.train().seed())).containsExactly(42L);
    }
}
