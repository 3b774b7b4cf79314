package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.TokenizerTraining;
import io.github.bert4j.tokenizer.Vocabulary;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-tokenizer and tokenize on a few hundred real KLUE raw sentences. */
class TokenizerCommandsTest {

    @TempDir
    static Path tmp;
    static Path corpus;
    static List<String> sentences;
    static TrainTokenizerCommand.Result trained;

    @BeforeAll
    static void trainSmallVocabulary() throws IOException {
        try (Stream<String> lines = Files.lines(TestData.klueRawSentences(), StandardCharsets.UTF_8)) {
            List<String> rows = lines.limit(400).toList();
            corpus = tmp.resolve("raw.tsv");
            Files.write(corpus, rows, StandardCharsets.UTF_8);
            sentences = rows.stream().map(r -> r.substring(r.indexOf('\t') + 1)).toList();
        }
        TokenizerTraining.Options options = new TokenizerTraining.Options(2500, 2, 0, MorphemeMode.NORI, false, false,
                2, false, List.of());
        trained = TrainTokenizerCommand.run(List.of(corpus), "tsv:1", options, tmp.resolve("tok"));
    }

    @Test
    void trainTokenizerWritesBothFilesWithSpecialTokensFirst() throws IOException {
        assertThat(trained.tokenizerJson()).isRegularFile();
        assertThat(trained.vocabTxt()).isRegularFile();
        List<String> vocabLines = Files.readAllLines(trained.vocabTxt(), StandardCharsets.UTF_8);
        assertThat(vocabLines).hasSizeBetween(2000, 2500);
        assertThat(vocabLines.subList(0, 6)).containsExactly(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.CLS,
                Vocabulary.SEP, Vocabulary.MASK, Vocabulary.EOD);
        // Nori morphemes: frequent particles/endings become continuation pieces of their own.
        assertThat(vocabLines).contains("##다", "##는");
    }

    @Test
    void savedTokenizerReloadsAndEncodesIdentically() {
        Tokenizer reloaded = Tokenizer.load(trained.tokenizerJson());
        for (String s : sentences.subList(0, 50)) {
            assertThat(reloaded.encode(s)).isEqualTo(trained.tokenizer().encode(s));
        }
    }

    @Test
    void tokenizeWritesOneJsonLinePerInputWithConsistentOffsets() throws IOException {
        Tokenizer tok = TokenizeCommand.configure(Tokenizer.load(trained.tokenizerJson()), 0);
        List<String> in = new ArrayList<>(sentences.subList(0, 30));
        in.add("");
        in.add(sentences.get(40) + "\t" + sentences.get(41));
        StringWriter out = new StringWriter();
        long n = TokenizeCommand.run(tok, new BufferedReader(new StringReader(String.join("\n", in) + "\n")), out);
        assertThat(n).isEqualTo(in.size());
        String[] jsonLines = out.toString().split("\n");
        assertThat(jsonLines).hasSize(in.size());
        ObjectMapper json = new ObjectMapper();
        Vocabulary vocab = tok.vocab();
        for (int i = 0; i < 30; i++) {
            JsonNode j = json.readTree(jsonLines[i]);
            Encoding expected = tok.encode(in.get(i));
            assertThat(ints(j.get("ids"))).containsExactly(expected.ids());
            assertThat(ints(j.get("type_ids"))).containsOnly(0);
            JsonNode tokens = j.get("tokens");
            JsonNode offsets = j.get("offsets");
            assertThat(tokens.size()).isEqualTo(expected.length());
            assertThat(tokens.get(0).asText()).isEqualTo("[CLS]");
            assertThat(tokens.get(tokens.size() - 1).asText()).isEqualTo("[SEP]");
            for (int t = 0; t < tokens.size(); t++) {
                int id = j.get("ids").get(t).asInt();
                assertThat(tokens.get(t).asText()).isEqualTo(vocab.token(id));
                int s = offsets.get(t).get(0).asInt();
                int e = offsets.get(t).get(1).asInt();
                if (vocab.isSpecial(id)) {
                    assertThat(s).isEqualTo(e);
                } else {
                    assertThat(s).isLessThan(e);
                    String surface = in.get(i).substring(s, e);
                    String piece = tokens.get(t).asText().replaceFirst("^##", "");
                    if (id != vocab.unkId()) {
                        assertThat(surface).isEqualTo(piece);
                    }
                }
            }
        }
        JsonNode empty = json.readTree(jsonLines[30]);
        assertThat(empty.get("tokens").size()).isEqualTo(2);
        JsonNode pair = json.readTree(jsonLines[31]);
        int[] typeIds = ints(pair.get("type_ids"));
        assertThat(typeIds).contains(0, 1);
        Encoding expectedPair = tok.encodePair(sentences.get(40), sentences.get(41));
        assertThat(ints(pair.get("ids"))).containsExactly(expectedPair.ids());
        assertThat(typeIds).containsExactly(expectedPair.typeIds());
    }

    @Test
    void cliTokenizeTruncatesToMaxLength() throws IOException {
        Path input = tmp.resolve("in.txt");
        Path output = tmp.resolve("out.jsonl");
        String longText = String.join(" ", sentences.subList(0, 10));
        Files.writeString(input, longText + "\n" + sentences.get(1) + "\t" + longText + "\n", StandardCharsets.UTF_8);
        int code = Bert4jCli.run("tokenize", "--tokenizer", trained.tokenizerJson().toString(), "--max-length", "16",
                "--input", input.toString(), "--output", output.toString());
        assertThat(code).isZero();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode j = json.readTree(line);
            assertThat(j.get("ids").size()).isEqualTo(16);
            assertThat(j.get("tokens").get(15).asText()).isEqualTo("[SEP]");
        }
    }

    /** Encodings longer than the model can take went out silently. */
    @Test
    void cliTokenizeWarnsOnceWhenAnEncodingExceedsTheModelsPositions() throws IOException {
        Path model = tmp.resolve("model-16");
        Tokenizer.load(trained.tokenizerJson()).save(model);
        io.github.bert4j.bert.BertConfig.of(2500, 32, 1, 2, 37, 16).save(model);
        Path input = tmp.resolve("long.txt");
        String longText = String.join(" ", sentences.subList(0, 10));
        Files.writeString(input, sentences.get(0).substring(0, 3) + "\n" + longText + "\n" + longText + "\n",
                StandardCharsets.UTF_8);
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Bert4jCli.run("tokenize", "--tokenizer", model.toString(), "--input", input.toString(),
                    "--output", tmp.resolve("long.jsonl").toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isZero();
        String warning = err.toString(StandardCharsets.UTF_8);
        assertThat(warning).contains("warning: line 2 encodes to").contains("more than the model's 16 positions")
                .contains(model.resolve("config.json").toString()).contains("--max-length 16");
        assertThat(warning.lines().filter(l -> l.contains("warning")).count()).isEqualTo(1);
        assertThat(Files.readAllLines(tmp.resolve("long.jsonl"))).hasSize(3);
    }

    @Test
    void cliTrainTokenizerFailsCleanlyOnAMissingFile() {
        int code = Bert4jCli.run("train-tokenizer", "--input", tmp.resolve("nope.txt").toString(),
                "--output", tmp.resolve("x").toString());
        assertThat(code).isNotZero();
    }

    @Test
    void benchTokenizerReportsPositiveThroughputOnRealText() {
        java.util.Map<String, Object> r = io.github.bert4j.examples.bench.BenchTokenizerCommand.run(trained.tokenizer(),
                List.of(corpus), "tsv:1", 50, 8, 0.2);
        assertThat(r).containsEntry("texts", 50).containsEntry("batch_size", 8);
        long chars = sentences.subList(0, 50).stream().mapToLong(String::length).sum();
        assertThat(r).containsEntry("chars", chars);
        assertThat((Long) r.get("single_chars_per_s")).isPositive();
        assertThat((Long) r.get("batch_chars_per_s")).isPositive();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
