package io.github.bert4j.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.StepOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link BertForSequenceClassification}: finite differences in double precision on both engines,
 * the engines against each other with dropout, HuggingFace's model in PyTorch (DJL) for logits
 * and every gradient, and the model directory round trip.
 */
class BertForSequenceClassificationTest {
    static final List<String> LABELS = List.of("정치", "경제", "교육");
    @TempDir
    Path tmp;

    /** Three sequences of lengths 6, 4, 5 padded to 7; the last carries no label. */
    static BertForSequenceClassification.Batch batch(int vocab, int[] labels) {
        int[][] ids = {{2, 17, 23, 5, 40, 3, 0}, {2, 9, 9, 3, 0, 0, 0}, {2, 30, 31, 3, 44, 0, 0}};
        int[][] types = {{0, 0, 0, 0, 1, 1, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0, 0}};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 0, 0}};
        for (int[] row : ids) {
            for (int id : row) {
                assertThat(id).isLessThan(vocab);
            }
        }
        return new BertForSequenceClassification.Batch(Nd4j.createFromArray(ids), Nd4j.createFromArray(types),
                Nd4j.createFromArray(mask), labels);
    }

    private static double loss(BertForSequenceClassification m, BertForSequenceClassification.Batch b) {
        Map<String, Double> means = m.evaluate(b).means();
        return means.get("cls_loss");
    }

    @ParameterizedTest(name = "{0} engine")
    @EnumSource(Engine.class)
    void gradientsMatchFiniteDifferencesInDouble(Engine engine) {
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50).withDropout(0.0), 3, DataType.DOUBLE);
        try (BertForSequenceClassification m = BertForSequenceClassification.create(encoder, LABELS, 0.0, 5)
                .engine(engine)) {
            m.headParameters().values().forEach(a -> a.addi(Nd4j.randn(11, a.shape()).castTo(DataType.DOUBLE).muli(0.5)));
            BertForSequenceClassification.Batch batch = batch(50, new int[] {2, 0, -1});
            StepOutput out = m.trainStep(batch);
            assertThat(out.loss()).isCloseTo(loss(m, batch), within(1e-12));
            assertThat(out.examples()).isEqualTo(3);
            assertThat(out.tokens()).isEqualTo(15);
            assertThat(out.metrics().means()).containsKeys("cls_loss", "cls_acc");
            // every parameter the loss reaches has a gradient (all of them: the pooler is used)
            assertThat(out.gradients().keySet()).containsExactlyInAnyOrderElementsOf(m.parameters().keySet());
            String[][] probes = {
                {HfNames.CLASSIFIER_WEIGHT, "0"}, {HfNames.CLASSIFIER_WEIGHT, "45"}, {HfNames.CLASSIFIER_WEIGHT, "95"},
                {HfNames.CLASSIFIER_BIAS, "0"}, {HfNames.CLASSIFIER_BIAS, "2"},
                {HfNames.weight(HfNames.POOLER_DENSE), "33"}, {HfNames.bias(HfNames.POOLER_DENSE), "7"},
                {HfNames.WORD_EMBEDDINGS, String.valueOf(17 * 32 + 5)}, {HfNames.TOKEN_TYPE_EMBEDDINGS, "40"},
                {HfNames.layerNames(1).outputDense() + ".weight", "100"},
                {HfNames.layerNames(0).query() + ".bias", "3"},
            };
            double eps = 1e-6;
            Map<String, INDArray> params = m.parameters();
            for (String[] probe : probes) {
                INDArray p = params.get(probe[0]);
                assertThat(p).as(probe[0]).isNotNull();
                long idx = Long.parseLong(probe[1]);
                double orig = p.getDouble(idx);
                p.putScalar(idx, orig + eps);
                double plus = loss(m, batch);
                p.putScalar(idx, orig - eps);
                double minus = loss(m, batch);
                p.putScalar(idx, orig);
                double numeric = (plus - minus) / (2 * eps);
                assertThat(out.gradients().get(probe[0]).getDouble(idx)).as("%s[%d]", probe[0], idx)
                        .isCloseTo(numeric, within(1e-7 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void bothEnginesGiveTheSameStepWithDropout() {
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50), 3, DataType.DOUBLE);
        try (BertForSequenceClassification m = BertForSequenceClassification.create(encoder, LABELS, 0.3, 5)) {
            BertForSequenceClassification.Batch batch = batch(50, new int[] {1, 0, 2});
            Nd4j.getRandom().setSeed(17);
            StepOutput g = m.engine(Engine.GRAPH).trainStep(batch);
            Nd4j.getRandom().setSeed(17);
            StepOutput e = m.engine(Engine.EAGER).trainStep(batch);
            assertThat(e.loss()).isCloseTo(g.loss(), within(1e-12));
            assertThat(e.gradients().keySet()).isEqualTo(g.gradients().keySet());
            g.gradients().forEach((n, a) -> assertThat(a.sub(e.gradients().get(n)).amaxNumber().doubleValue()).as(n)
                    .isLessThan(1e-10 + 1e-8 * a.amaxNumber().doubleValue()));
            // and dropout was on: the same batch without it gives another loss
            Nd4j.getRandom().setSeed(18);
            assertThat(m.trainStep(batch).loss()).isNotCloseTo(e.loss(), within(1e-6));
        }
    }

    @Test
    void logitsAndEveryGradientMatchPyTorch() {
        BertConfig c = BertConfig.tiny(60).withDropout(0.0);
        BertEncoder encoder = BertEncoder.create(c, 21, DataType.FLOAT);
        try (BertForSequenceClassification m = BertForSequenceClassification.create(encoder, LABELS, 0.0, 4)) {
            Random r = new Random(4);
            m.parameters().forEach((n, a) -> a.addi(Nd4j.randn(r.nextLong(), a.shape()).castTo(DataType.FLOAT)
                    .muli(n.contains("LayerNorm") ? 0.2 : 0.05)));
            m.headParameters().get(HfNames.CLASSIFIER_WEIGHT).muli(20);
            int[] labels = {2, 0, -1};
            BertForSequenceClassification.Batch batch = batch(60, labels);
            EncoderInputs in = EncoderInputs.of(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask());
            for (Engine engine : Engine.values()) {
                m.engine(engine);
                try (TorchBert torch = new TorchBert(c, m.parameters())) {
                    TorchBert.ClassifierResult ref = torch.classify(in, labels, true);
                    INDArray logits = m.logits(batch);
                    assertThat(logits.shape()).containsExactly(3, 3);
                    assertThat(maxAbsDiff(logits, ref.logits())).as("%s logits", engine).isLessThan(1e-4);
                    StepOutput ours = m.trainStep(batch);
                    assertThat(Math.abs(ours.loss() - ref.loss()) / ref.loss()).as("%s loss", engine).isLessThan(1e-4);
                    assertThat(ours.gradients().keySet()).containsExactlyInAnyOrderElementsOf(ref.gradients().keySet());
                    for (Map.Entry<String, INDArray> e : ref.gradients().entrySet()) {
                        double scale = Transforms.abs(e.getValue()).maxNumber().doubleValue();
                        double err = maxAbsDiff(ours.gradients().get(e.getKey()), e.getValue());
                        assertThat(err / Math.max(scale, 1e-6)).as("%s %s: max error %g, max |g| %g", engine, e.getKey(),
                                err, scale).isLessThan(1e-3);
                    }
                }
            }
        }
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @Test
    void aModelDirectoryKeepsLabelsAndWeightsAsHuggingFaceWritesThem() throws IOException {
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50), 3);
        Path dir = tmp.resolve("cls");
        BertForSequenceClassification.Batch batch = batch(50, null);
        INDArray before;
        try (BertForSequenceClassification m = BertForSequenceClassification.create(encoder, LABELS, 0.2, 5)) {
            before = m.logits(batch);
            m.save(dir);
        }
        String config = Files.readString(dir.resolve("config.json"));
        assertThat(config).contains("\"BertForSequenceClassification\"", "\"id2label\"", "\"0\" : \"정치\"",
                "\"label2id\"", "\"교육\" : 2");
        try (BertForSequenceClassification back = BertForSequenceClassification.load(dir)) {
            assertThat(back.labels()).isEqualTo(LABELS);
            assertThat(back.dropout()).isEqualTo(0.2);
            assertThat(maxAbsDiff(back.logits(batch), before)).isLessThan(1e-6);
            List<BertForSequenceClassification.Prediction> p = back.predict(batch);
            assertThat(p).hasSize(3);
            assertThat(p.get(0).probability()).isBetween(1.0 / 3, 1.0);
            assertThat(p.get(0).name()).isEqualTo(LABELS.get(p.get(0).label()));
        }
        // an encoder-only directory is not a classifier: the error names the file and the key
        Files.writeString(dir.resolve("config.json"), config.replaceAll("(?s)\"id2label\" : \\{[^}]*},", ""));
        assertThatThrownBy(() -> BertForSequenceClassification.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.json").hasMessageContaining("id2label");
    }

    @Test
    void unlabelledSequencesTakeNoPartAndBadInputIsRefused() {
        BertEncoder encoder = BertEncoder.create(BertConfig.tiny(50).withDropout(0.0), 3, DataType.DOUBLE);
        try (BertForSequenceClassification m = BertForSequenceClassification.create(encoder, LABELS, 0.0, 5)) {
            Metrics all = m.evaluate(batch(50, new int[] {1, 2, -1}));
            Metrics none = m.evaluate(batch(50, new int[] {-1, -1, -1}));
            assertThat(all.means().keySet()).contains("cls_loss");
            assertThat(none.means()).doesNotContainKey("cls_loss");
            assertThatThrownBy(() -> m.trainStep(batch(50, null))).hasMessageContaining("labels");
            assertThatThrownBy(() -> BertForSequenceClassification.create(encoder, List.of("a", "a"), 0.1, 1))
                    .hasMessageContaining("distinct");
        }
    }
}
