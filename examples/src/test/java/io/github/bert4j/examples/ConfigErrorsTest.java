package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI says about a bad NER or pretraining config: one line naming the key, the file and the line. */
class ConfigErrorsTest {

    @TempDir
    Path tmp;

    /** Runs the CLI; returns its standard error (exit code checked: 1). */
    static String fails(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Bert4jCli.run(args);
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err).isEqualTo(1);
        return err;
    }

    private Path yaml(String name, String text) throws IOException {
        Path p = tmp.resolve("configs").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** Before: "bert4j finetune-ner: data/nothere.tsv". */
    @Test
    void aMissingDataFileNamesItsKeyItsResolvedPathAndTheConfig() throws IOException {
        Path cfg = yaml("missing.yaml", """
                data:
                  train_file: data/nothere.tsv
                model:
                  pretrained: %s
                """.formatted(TestData.root().resolve("examples/models/seed-petitions")));
        String err = fails("finetune-ner", "--config", cfg.toString(), "--output", tmp.resolve("out").toString());
        assertThat(err).startsWith("bert4j finetune-ner: data.train_file: no such file: "
                + tmp.resolve("configs/data/nothere.tsv").toAbsolutePath())
                .contains("(" + cfg + ")");
        assertThat(err.lines().count()).isEqualTo(1);

        Path noModel = yaml("nomodel.yaml", """
                data:
                  train_file: %s
                model:
                  pretrained: ../models/none
                """.formatted(TestData.root().resolve("examples/data/klue-ner/klue-ner-v1.1_dev_4k.tsv")));
        assertThat(fails("finetune-ner", "--config", noModel.toString(), "--output", tmp.resolve("out").toString()))
                .contains("model.pretrained: no such model directory: " + tmp.resolve("models/none").toAbsolutePath());
    }

    /** Before: SnakeYAML's excerpt twice, then "internal error: ParserException". */
    @Test
    void malformedYamlIsOneLineWithTheLineAndNoInternalError() throws IOException {
        Path cfg = yaml("malformed.yaml", """
                data:
                  train_file: x.tsv
                  bad: [1, 2
                model: {}
                """);
        for (String command : new String[] {"finetune-ner", "pretrain"}) {
            String err = fails(command, "--config", cfg.toString());
            assertThat(err).as(command).startsWith("bert4j " + command + ": syntax error: expected ',' or ']', but got : at column 6")
                    .contains("malformed.yaml, line 4)").contains("flow sequence that starts on line 3")
                    .doesNotContain("internal error").doesNotContain("caused by").doesNotContain("^");
            assertThat(err.lines().count()).as(err).isEqualTo(1);
        }
    }

    /** Before: NER configs gave no line; neither config type suggested the key meant. */
    @Test
    void unknownKeysGiveTheLineAndTheNearestKnownKey() throws IOException {
        Path ner = yaml("ner.yaml", """
                data:
                  train_file: x.tsv
                model:
                  pretrained: m
                train:
                  warmup_step: 10
                """);
        assertThat(fails("finetune-ner", "--config", ner.toString()))
                .contains("unknown key train.warmup_step (ner.yaml, line 6); did you mean warmup_steps? known keys: ");
        Path pre = yaml("pretrain.yaml", """
                preset: tiny
                train:
                  warmup_step: 10
                """);
        assertThat(fails("pretrain", "--config", pre.toString()))
                .contains("unknown key train.warmup_step (pretrain.yaml, line 3); did you mean warmup_steps? known keys: ");
    }
}
