package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.onnx.OnnxImport;
import io.github.bert4j.bert.onnx.OrtRunner;
import io.github.bert4j.core.testing.MiniLm;
import io.github.bert4j.ner.crf.CrfMath;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.crf.ViterbiResult;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exported NER model gives bert4j's emissions in ONNX Runtime, Viterbi over its outputs gives
 * bert4j's tags, and {@link NerDecoder} over them bert4j's entities and scores.
 */
class NerOnnxExportTest {

    @Test
    void onnxRuntimeLogitsAndCrfScoresReproduceBert4jsTags(@TempDir Path dir) throws Exception {
        Tokenizer tokenizer = TinyNer.tokenizer();
        TagSet tags = TagSet.klue();
        BertConfig config = BertConfig.of(tokenizer.vocab().size(), 32, 2, 4, 37, 64);
        BertCrfTagger tagger = BertCrfTagger.create(BertEncoder.create(config, 1), tags, true, 0.1, 2);
        Random r = new Random(5);
        for (INDArray p : tagger.headParameters().values()) {      // make the head decisive, transitions matter
            p.assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(2 + r.nextInt(2)));
        }
        Path modelDir = dir.resolve("ner");
        try (NerModel model = new NerModel(tagger, new NerInputs(tokenizer, tags, 64, 31))) {
            model.save(modelDir);
        }
        Path onnx = dir.resolve("ner.onnx");
        NerOnnxExport.write(modelDir, onnx);

        List<String> texts = TinyNer.klue().subList(0, 6).stream().map(s -> s.text()).toList();
        List<Encoding> enc = tokenizer.withTruncation(64, io.github.bert4j.tokenizer.TruncationStrategy.LONGEST_FIRST)
                .encodeBatch(texts);
        int t = enc.stream().mapToInt(Encoding::length).max().orElseThrow();
        int[][] ids = new int[texts.size()][t];
        int[][] mask = new int[texts.size()][t];
        int[][] types = new int[texts.size()][t];
        for (int i = 0; i < texts.size(); i++) {
            for (int j = 0; j < enc.get(i).length(); j++) {
                ids[i][j] = enc.get(i).ids()[j];
                mask[i][j] = 1;
            }
        }
        try (NerModel model = NerModel.load(modelDir); OrtRunner ort = new OrtRunner(onnx)) {
            INDArray maskArr = Nd4j.createFromArray(mask).castTo(DataType.FLOAT);
            INDArray expected = model.tagger().emissions(Nd4j.createFromArray(ids), maskArr);
            ViterbiResult[] expectedPaths = model.tagger().decode(Nd4j.createFromArray(ids), maskArr);
            Map<String, OrtRunner.Output> out = ort.run(ids, mask, types);
            OrtRunner.Output logits = out.get("logits");
            assertThat(logits.shape()).containsExactly(texts.size(), t, tags.size());
            float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
            double worst = 0;
            for (int i = 0; i < e.length; i++) {
                worst = Math.max(worst, Math.abs(e[i] - logits.data()[i]));
            }
            assertThat(worst).as("max |onnxruntime - bert4j| logits").isLessThan(1e-4);

            int k = tags.size();
            double[][] trans = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    trans[i][j] = out.get(NerOnnxExport.TRANSITIONS).data()[i * k + j];
                }
            }
            CrfParameters p = new CrfParameters(toDouble(out.get(NerOnnxExport.START).data()), trans,
                    toDouble(out.get(NerOnnxExport.END).data()));
            int changedByConstraints = 0;
            for (int i = 0; i < texts.size(); i++) {
                int n = enc.get(i).length();
                double[][] em = new double[n][k];
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < k; c++) {
                        em[j][c] = logits.data()[(i * t + j) * k + c];
                    }
                }
                assertThat(CrfMath.viterbi(em, n, p).path()).as("sentence " + i).containsExactly(expectedPaths[i].path());
                changedByConstraints += java.util.Arrays.equals(CrfMath.viterbi(em, n,
                        CrfParameters.from(model.tagger().headParameters())).path(), expectedPaths[i].path()) ? 0 : 1;
            }
            assertThat(changedByConstraints).as("sentences whose path the IOB2 constraints change").isPositive();
            entitiesAndScoresFromOnnxRuntimesOutputsEqualTheNerPredictors(model, ort);
        }
        // the encoder inside the NER export imports back as a token classifier
        assertThat(OnnxImport.read(onnx).head()).isEqualTo(io.github.bert4j.bert.onnx.OnnxExport.Head.TOKEN_CLASSIFICATION);
    }

    @Test
    void anEncoderImportedFromHuggingFacesOnnxFineTunesForNer(@TempDir Path dir) throws Exception {
        Path imported = dir.resolve("minilm");
        OnnxImport.toModelDirectory(MiniLm.copy(MiniLm.ONNX, dir), MiniLm.copy(MiniLm.TOKENIZER, dir), imported);
        Path tsv = dir.resolve("ner.tsv");
        io.github.bert4j.ner.data.KlueNerWriter.write(tsv, List.of("## test data"), TinyNer.shortWithEntities(12));
        String yaml = """
                data: {train_file: %s}
                model: {pretrained: %s, max_len: 32, bucket: 32}
                train: {epochs: 1, batch_size: 5, lr: 5.0e-4}
                tracking: {mlruns: %s, experiment: onnx-import, run_name: minilm}
                """.formatted(tsv, imported, dir.resolve("mlruns"));
        NerConfig cfg = NerConfig.parse(yaml, io.github.bert4j.core.config.ConfigLoader.Format.YAML, "ner.yaml");
        NerFineTuning.Result r = NerFineTuning.run(cfg, dir.resolve("out"), false);
        assertThat(r.validReport().entityMacroF1()).isBetween(0.0, 1.0);
        try (NerModel tuned = NerModel.load(dir.resolve("out")); BertEncoder before = BertEncoder.load(imported)) {
            String w = "bert.encoder.layer.5.output.dense.weight";
            assertThat(tuned.tagger().encoder().config().hiddenSize()).isEqualTo(384);
            assertThat(tuned.tagger().encoder().parameters().get(w)).as("fine-tuned").isNotEqualTo(before.parameters().get(w));
            assertThat(tuned.tagger().encoder().parameters().get(w).sub(before.parameters().get(w)).norm2Number()
                    .doubleValue()).isLessThan(before.parameters().get(w).norm2Number().doubleValue() * 0.1);
        }
    }

    /** NerDecoder over ONNX Runtime's logits and crf_* outputs gives NerPredictor's entities and scores. */
    private static void entitiesAndScoresFromOnnxRuntimesOutputsEqualTheNerPredictors(NerModel model, OrtRunner ort)
            throws Exception {
        List<String> texts = new java.util.ArrayList<>(TinyNer.klue().subList(0, 10).stream().map(s -> s.text()).toList());
        texts.add(String.join(" ", texts.subList(0, 6))); // longer than max_length 64: several windows
        NerDecoder.Windows w = NerDecoder.of(model).windows(texts);
        assertThat(w.size()).as("windows").isGreaterThan(texts.size());
        int t = w.ids().stream().mapToInt(a -> a.length).max().orElseThrow();
        int[][] ids = new int[w.size()][t];
        int[][] mask = new int[w.size()][t];
        for (int i = 0; i < w.size(); i++) {
            System.arraycopy(w.ids(i), 0, ids[i], 0, w.ids(i).length);
            java.util.Arrays.fill(mask[i], 0, w.ids(i).length, 1);
        }
        Map<String, OrtRunner.Output> out = ort.run(ids, mask, new int[w.size()][t]);
        int k = model.tags().size();
        float[] flat = out.get("logits").data();
        float[][][] logits = new float[w.size()][t][k];
        for (int i = 0; i < w.size(); i++) {
            for (int j = 0; j < t; j++) {
                System.arraycopy(flat, (i * t + j) * k, logits[i][j], 0, k);
            }
        }
        float[] transFlat = out.get(NerOnnxExport.TRANSITIONS).data();
        float[][] trans = new float[k][k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(transFlat, i * k, trans[i], 0, k);
        }
        NerDecoder onnx = NerDecoder.ofOnnx(model.inputs(), out.get(NerOnnxExport.START).data(), trans,
                out.get(NerOnnxExport.END).data());
        List<TaggedSentence> viaOnnx = onnx.decode(w, logits);
        List<TaggedSentence> viaBert4j = new NerPredictor(model).tag(texts); // not closed: the caller closes the model
        int entities = 0;
        double worst = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertThat(viaOnnx.get(i).tokenTags()).as("text %d", i).containsExactly(viaBert4j.get(i).tokenTags());
            List<io.github.bert4j.ner.align.Entity> a = viaOnnx.get(i).entities();
            List<io.github.bert4j.ner.align.Entity> b = viaBert4j.get(i).entities();
            assertThat(a).hasSameSizeAs(b);
            for (int e = 0; e < a.size(); e++) {
                assertThat(a.get(e).sameSpan(b.get(e))).as("%s vs %s", a.get(e), b.get(e)).isTrue();
                assertThat(b.get(e).score()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
                worst = Math.max(worst, Math.abs(a.get(e).score() - b.get(e).score()));
                entities++;
            }
        }
        assertThat(entities).as("entities compared").isGreaterThan(10);
        assertThat(worst).as("max |onnxruntime - bert4j| entity score").isLessThan(1e-4);
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
