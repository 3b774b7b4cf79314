package io.github.bert4j.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.core.train.BatchSource;
import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.TrainableModel;
import io.github.bert4j.ner.eval.KlueReport;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The README's code blocks are the example classes of this package (and the user project's
 * pom.xml), character for character, and the examples run.
 */
class ReadmeSnippetsTest {
    /** {@code <!-- README block: path -->} followed by a fenced block. */
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- README block: (\\S+) -->\\n```(\\w+)\\n(.*?)```\\n", Pattern.DOTALL);

    @TempDir
    Path tmp;

    static Path root() {
        return TestData.root();
    }

    /** The text a README block must show for {@code file}: its imports, a blank line, its region. */
    static String expected(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!file.toString().endsWith(".java")) return text;
        List<String> lines = text.lines().toList();
        StringBuilder imports = new StringBuilder();
        for (String l : lines) {
            if (l.startsWith("import ")) imports.append(l).append('\n');
        }
        int begin = lines.indexOf("    // README:begin");
        int end = lines.indexOf("    // README:end");
        assertThat(begin).as(file + " has a // README:begin line").isGreaterThanOrEqualTo(0);
        assertThat(end).as(file + " has a // README:end line").isGreaterThan(begin);
        StringBuilder region = new StringBuilder();
        for (String l : lines.subList(begin + 1, end)) {
            region.append(l.startsWith("    ") ? l.substring(4) : l.strip()).append('\n');
        }
        return imports + "\n" + region;
    }

    @Test
    void theReadmeShowsTheExampleClassesAsTheyAre() throws IOException {
        String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(readme);
        List<String> shown = new ArrayList<>();
        while (m.find()) {
            Path file = root().resolve(m.group(1));
            assertThat(file).as("README names " + m.group(1)).isRegularFile();
            assertThat(m.group(3)).as("README block of " + m.group(1) + " (copy it from the file)")
                    .isEqualTo(expected(file));
            shown.add(m.group(1));
        }
        List<String> examples;
        try (Stream<Path> files = Files.list(root().resolve("examples/src/main/java/io/github/bert4j/examples/api"))) {
            examples = files.map(f -> root().relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.endsWith("package-info.java")).sorted().toList();
        }
        assertThat(shown).as("every example class is in the README").containsAll(examples);
        assertThat(shown).contains("examples/src/it/user-project/pom.xml");
    }

    @Test
    void theTokenizerExampleTrainsAndEncodes() throws IOException {
        Path corpus = tmp.resolve("petitions.jsonl");
        try (Stream<String> lines = Files.lines(root().resolve("examples/data/petitions/petitions_2017-08.jsonl"))) {
            Files.write(corpus, lines.limit(30).toList());
        }
        Encoding e = TokenizerExample.trainAndEncode(List.of(corpus), 400, tmp.resolve("tok"));
        assertThat(tmp.resolve("tok/tokenizer.json")).isRegularFile();
        assertThat(e.tokens()[0]).isEqualTo("[CLS]");
        assertThat(e.typeIds()[e.length() - 1]).isEqualTo(1);
    }

    @Test
    void theEncoderExampleEncodesAPaddedBatchAndBackpropagates() throws IOException {
        // a model directory as pretraining writes it: the published tokenizer, a tiny fresh encoder
        Path model = tmp.resolve("model");
        Tokenizer tok = Tokenizer.load(root().resolve("examples/models/seed-petitions"));
        tok.save(model);
        try (BertEncoder enc = BertEncoder.create(BertConfig.tiny(tok.vocab().size()), 7)) {
            enc.save(model);
        }
        BertEncoder.Outputs out = EncoderExample.encode(model, List.of("대통령은 오늘 담화를 발표했다.", "내용은 다음과 같다."));
        int hidden = BertConfig.tiny(tok.vocab().size()).hiddenSize();
        long[] shape = out.sequenceOutput().shape();
        assertThat(shape[0]).isEqualTo(2);
        assertThat(shape[2]).isEqualTo(hidden);
        assertThat(out.pooledOutput().shape()).containsExactly(2, hidden);
        assertThat(out.sequenceOutput().sumNumber().doubleValue()).isFinite();
    }

    @Test
    void thePretrainAndNerExamplesRunAndTheTrainerExampleClosesItsRun() throws IOException {
        Path data = root().resolve("examples/data");
        Path corpus = tmp.resolve("corpus.jsonl");
        try (Stream<String> lines = Files.lines(data.resolve("petitions/petitions_2017-08.jsonl"))) {
            Files.write(corpus, lines.limit(25).toList());
        }
        Path pretrainYaml = tmp.resolve("pretrain.yaml");
        Files.writeString(pretrainYaml, """
                preset: tiny
                output: out
                mlruns: mlruns
                data: {corpus: [corpus.jsonl], format: "jsonl:content", splitter: korean, valid_fraction: 0.1, max_len: 16}
                tokenizer: {vocab_size: 500, min_frequency: 2, morphemes: none}
                model: {hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 20, max_position_embeddings: 16}
                train: {epochs: 1, max_steps: 2, batch_size: 8, lr: 1.0e-3, warmup_steps: 1, eval_every: 0, log_every: 1, seed: 1}
                """);
        TrainResult pre = PretrainExample.pretrain(pretrainYaml, tmp.resolve("pretrain"));
        assertThat(pre.steps()).isEqualTo(2);
        Path encoder = tmp.resolve("pretrain/model");
        assertThat(encoder.resolve("model.safetensors")).isRegularFile();

        Path tsv = tmp.resolve("ner.tsv");
        Files.writeString(tsv, firstSentences(data.resolve("klue-ner/klue-ner-v1.1_dev_4k.tsv"), 25));
        Path nerYaml = tmp.resolve("ner.yaml");
        Files.writeString(nerYaml, """
                data: {train_file: ner.tsv, split_modulus: 5, split_test_remainder: 4}
                model: {pretrained: pretrain/model, max_len: 16, bucket: 16, eval_batch_size: 16, seed: 1}
                train: {epochs: 1, max_steps: 2, batch_size: 8, lr: 1.0e-3, warmup_steps: 1, eval_every: 0, log_every: 1, seed: 1}
                tracking: {mlruns: mlruns, experiment: readme, run_name: ner}
                """);
        KlueReport report = NerExample.finetune(nerYaml, tmp.resolve("ner"), tsv);
        assertThat(report).isNotNull();

        // the classifier example on the pretrained tiny encoder: 40 petitions, 2 steps
        Path petitions = tmp.resolve("petitions40.jsonl");
        try (Stream<String> lines = Files.lines(data.resolve("petitions/petitions_2017-08.jsonl"))) {
            Files.write(petitions, lines.limit(40).toList());
        }
        Path clsYaml = tmp.resolve("cls.yaml");
        Files.writeString(clsYaml, """
                data: {files: [petitions40.jsonl], text_fields: [title]}
                model: {pretrained: pretrain/model, max_len: 16, seed: 1}
                train: {epochs: 1, max_steps: 2, batch_size: 8, lr: 1.0e-3, warmup_steps: 1, log_every: 1, seed: 1}
                tracking: {mlruns: mlruns, experiment: readme, run_name: classifier}
                """);
        var cls = ClassifierExample.finetune(clsYaml, tmp.resolve("cls"));
        assertThat(cls.examples()).isPositive();
        assertThat(cls.accuracy()).isBetween(0.0, 1.0);
        assertThat(tmp.resolve("cls/confusion-test.png")).isNotEmptyFile();

        Path mlruns = tmp.resolve("trainer-mlruns");
        TrainResult r = TrainerExample.train(new Line(), new LineData(), () -> Map.of("loss", 0.0), mlruns,
                tmp.resolve("trainer-out"));
        assertThat(r.steps()).isEqualTo(3);
        try (Stream<Path> files = Files.walk(mlruns)) {
            List<Path> metas = files.filter(f -> f.getFileName().toString().equals("meta.yaml")
                    && Files.exists(f.resolveSibling("metrics"))).toList();
            assertThat(metas).hasSize(1);
            assertThat(Files.readString(metas.get(0))).contains("status: 3");   // FINISHED
        }
    }

    /** The first {@code n} sentences of a KLUE NER file (blocks separated by a blank line). */
    static String firstSentences(Path tsv, int n) throws IOException {
        String[] blocks = Files.readString(tsv, StandardCharsets.UTF_8).split("\\n\\n");
        return String.join("\n\n", java.util.Arrays.copyOf(blocks, n)) + "\n";
    }

    /** y = w·x: one parameter, one batch per epoch. */
    record Batch(INDArray x, INDArray y) {}

    static final class Line implements TrainableModel<Batch> {
        private final Map<String, INDArray> params = new LinkedHashMap<>(Map.of("w", Nd4j.zeros(DataType.FLOAT, 1, 1)));

        @Override
        public Map<String, INDArray> parameters() {
            return params;
        }

        @Override
        public StepOutput trainStep(Batch b) {
            INDArray err = b.x().mmul(params.get("w")).sub(b.y());          // [N,1]
            double loss = err.mul(err).meanNumber().doubleValue();
            INDArray grad = b.x().transpose().mmul(err).mul(2.0 / b.x().rows());
            return new StepOutput(loss, Map.of("w", grad), new Metrics().add("loss", loss, 1), b.x().rows(),
                    (int) b.x().rows());
        }

        @Override
        public void save(Path dir) throws IOException {
            Files.writeString(dir.resolve("config.json"), "{}");
            Files.writeString(dir.resolve("model.safetensors"), "");
        }
    }

    static final class LineData implements BatchSource<Batch> {
        @Override
        public Iterator<Batch> epoch(int epoch, long seed) {
            INDArray x = Nd4j.createFromArray(new float[][] {{1}, {2}, {3}});
            return List.of(new Batch(x, x.mul(2))).iterator();
        }

        @Override
        public long batchesPerEpoch() {
            return 1;
        }
    }
}
