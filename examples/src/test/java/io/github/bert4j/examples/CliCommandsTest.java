package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every subcommand the issues name is registered, documented and rejects bad arguments. */
class CliCommandsTest {

    @Test
    void helpListsEverySubcommand() {
        String out = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("--help")).isZero());
        assertThat(out).contains("train-tokenizer", "tokenize", "pretrain", "finetune-ner", "evaluate-ner", "tag",
                "bench", "quickstart", "version", "encode", "export-onnx", "import-onnx", "finetune-classifier", "classify");
        String bench = Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run("bench", "--help")).isZero());
        assertThat(bench).contains("pretrain", "ner", "tokenizer");
    }

    @Test
    void subcommandHelpShowsTheIssueOptions() {
        assertThat(help("train-tokenizer")).contains("--input", "--format", "--vocab-size", "--min-frequency",
                "--morphemes", "--output");
        assertThat(help("tokenize")).contains("--tokenizer", "--max-length", "--input", "--output");
        assertThat(help("pretrain")).contains("--config", "--output", "--resume", "--overwrite");
        assertThat(help("finetune-ner")).contains("--config", "--output", "--resume", "--overwrite");
        assertThat(help("spark", "pretrain")).contains("--config", "--output", "--resume", "--overwrite");
        assertThat(help("spark", "finetune-ner")).contains("--config", "--output", "--resume", "--overwrite");
        assertThat(help("evaluate-ner")).contains("--model", "--data");
        assertThat(help("tag")).contains("--model");
        assertThat(help("finetune-classifier")).contains("--config", "--output", "--resume", "--overwrite");
        assertThat(help("classify")).contains("--model", "--text", "--input", "--output", "--json");
        assertThat(help("quickstart")).contains("--preset", "--work");
        assertThat(help("bench", "pretrain")).contains("--preset", "--config", "--steps");
    }

    @Test
    void badArgumentsFail() {
        assertThat(Bert4jCli.run("quickstart", "--preset", "huge")).isNotZero();
        assertThat(Bert4jCli.run("bench", "pretrain", "--preset", "nope")).isNotZero();
        assertThat(Bert4jCli.run("bench")).isNotZero();
        assertThat(Bert4jCli.run("tokenize")).isNotZero();
        assertThat(Bert4jCli.run("pretrain", "--config", "/no/such/pretrain.yaml")).isNotZero();
        assertThat(Bert4jCli.run("finetune-ner", "--config", "/no/such/ner.yaml")).isNotZero();
    }

    private static String help(String... command) {
        String[] args = new String[command.length + 1];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--help";
        return Bert4jCliTest.capture(() -> assertThat(Bert4jCli.run(args)).isZero());
    }
}
