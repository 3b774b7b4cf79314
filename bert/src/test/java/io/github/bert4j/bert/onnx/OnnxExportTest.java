package io.github.bert4j.bert.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.bert.BertCheckpoint;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.core.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models bert4j exports run in ONNX Runtime as they run in bert4j (1e-4 on a padded batch with two
 * segments), import back bit for bit, and broken ONNX files fail clearly.
 */
class OnnxExportTest {

    static Path seedModel() {
        return TestData.root().resolve("examples/models/seed-petitions");
    }

    /** Three sequences padded to 21: lengths 21, 14, 6; segment B from the middle of each. */
    static int[][][] paddedBatch(int vocab, long seed) {
        Random r = new Random(seed);
        int b = 3;
        int t = 21;
        int[] lengths = {21, 14, 6};
        int[][] ids = new int[b][t];
        int[][] mask = new int[b][t];
        int[][] types = new int[b][t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                ids[i][j] = 5 + r.nextInt(vocab - 5);
                mask[i][j] = 1;
                types[i][j] = j >= lengths[i] / 2 ? 1 : 0;
            }
        }
        return new int[][][] {ids, mask, types};
    }

    static void assertClose(float[] actual, INDArray expected, double tol, String what) {
        float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
        assertThat(actual).as(what + " size").hasSize(e.length);
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - e[i]));
        }
        assertThat(max).as(what + ": max |onnxruntime - bert4j|").isLessThan(tol);
    }

    static BertEncoder.Outputs bert4j(BertEncoder enc, int[][][] batch) {
        return enc.encode(Nd4j.createFromArray(batch[0]), Nd4j.createFromArray(batch[2]),
                Nd4j.createFromArray(batch[1]).castTo(DataType.FLOAT));
    }

    @Test
    void seedEncoderRunsInOnnxRuntimeAsInBert4j(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("seed.onnx");
        try (BertEncoder enc = BertEncoder.load(seedModel())) {
            OnnxExport.of(enc).write(onnx);
            int[][][] batch = paddedBatch(enc.config().vocabSize(), 1);
            BertEncoder.Outputs expected = bert4j(enc, batch);
            try (OrtRunner ort = new OrtRunner(onnx)) {
                Map<String, OrtRunner.Output> out = ort.run(batch[0], batch[1], batch[2]);
                assertThat(out.get("last_hidden_state").shape()).containsExactly(3, 21, enc.config().hiddenSize());
                assertClose(out.get("last_hidden_state").data(), expected.sequenceOutput(), 1e-4, "last_hidden_state");
                assertClose(out.get("pooler_output").data(), expected.pooledOutput(), 1e-4, "pooler_output");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gelu", "gelu_new", "relu"})
    void everyActivationExportsFaithfully(String act, @TempDir Path dir) throws Exception {
        BertConfig c = BertConfig.tiny(99).withHiddenAct(act).withLayerNormEps(1e-5);
        Path onnx = dir.resolve("tiny.onnx");
        try (BertEncoder enc = BertEncoder.create(c, 7)) {
            scaleUp(enc);
            OnnxExport.of(enc).write(onnx);
            int[][][] batch = paddedBatch(99, 2);
            BertEncoder.Outputs expected = bert4j(enc, batch);
            try (OrtRunner ort = new OrtRunner(onnx)) {
                Map<String, OrtRunner.Output> out = ort.run(batch[0], batch[1], batch[2]);
                assertClose(out.get("last_hidden_state").data(), expected.sequenceOutput(), 1e-4, act);
                assertClose(out.get("pooler_output").data(), expected.pooledOutput(), 1e-4, act + " pooled");
            }
        }
    }

    /** Larger weights than the 0.02 init, so activations are far from linear and a wrong formula shows. */
    static void scaleUp(BertEncoder enc) {
        Random r = new Random(3);
        for (Map.Entry<String, INDArray> e : enc.parameters().entrySet()) {
            if (e.getKey().endsWith(".bias")) {
                e.getValue().assign(Nd4j.rand(DataType.FLOAT, e.getValue().shape()).subi(0.5).muli(0.4));
            } else if (!e.getKey().contains("LayerNorm")) {
                e.getValue().muli(10 + r.nextInt(3));
            }
        }
    }

    @Test
    void sequenceClassifierDirectoryExportsItsLogits(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("classifier");
        BertConfig base = BertConfig.tiny(99);
        Map<String, Object> extra = new LinkedHashMap<>(base.extra());
        extra.put("id2label", Map.of("0", "negative", "1", "neutral", "2", "positive"));
        BertConfig c = new BertConfig(base.vocabSize(), base.hiddenSize(), base.numHiddenLayers(),
                base.numAttentionHeads(), base.intermediateSize(), null, null, null, base.maxPositionEmbeddings(),
                null, null, null, null, null, List.of("BertForSequenceClassification"), extra);
        try (BertEncoder enc = BertEncoder.create(c, 11)) {
            scaleUp(enc);
            enc.save(model);
            Map<String, INDArray> all = new LinkedHashMap<>(enc.parameters());
            INDArray w = Nd4j.rand(DataType.FLOAT, 3, c.hiddenSize()).subi(0.5);
            INDArray b = Nd4j.createFromArray(0.1f, -0.2f, 0.3f);
            all.put(HfNames.CLASSIFIER_WEIGHT, w);
            all.put(HfNames.CLASSIFIER_BIAS, b);
            BertCheckpoint.write(model, all);
            Path onnx = dir.resolve("classifier.onnx");
            OnnxExport.modelDirectory(model, onnx);

            int[][][] batch = paddedBatch(99, 3);
            BertEncoder.Outputs expected = bert4j(enc, batch);
            INDArray logits = expected.pooledOutput().mmul(w.transpose()).addRowVector(b);
            try (OrtRunner ort = new OrtRunner(onnx)) {
                Map<String, OrtRunner.Output> out = ort.run(batch[0], batch[1], batch[2]);
                assertThat(out.get("logits").shape()).containsExactly(3, 3);
                assertClose(out.get("logits").data(), logits, 1e-4, "logits");
                assertThat(ort.session().getMetadata().getCustomMetadata()).containsKey("id2label");
            }
            OnnxImport.Result back = OnnxImport.read(onnx);
            assertThat(back.head()).isEqualTo(OnnxExport.Head.SEQUENCE_CLASSIFICATION);
            assertBitIdentical(back.tensors().get(HfNames.CLASSIFIER_WEIGHT), w);
        }
    }

    @Test
    void exportThenImportGivesBackTheSameBits(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("seed.onnx");
        try (BertEncoder enc = BertEncoder.load(seedModel())) {
            OnnxExport.of(enc).write(onnx);
            OnnxImport.Result r = OnnxImport.read(onnx);
            assertThat(r.head()).isEqualTo(OnnxExport.Head.NONE);
            assertThat(r.notes()).isEmpty();
            BertConfig c = enc.config();
            BertConfig b = r.config();
            assertThat(List.of(b.vocabSize(), b.hiddenSize(), b.numHiddenLayers(), b.numAttentionHeads(),
                    b.intermediateSize(), b.maxPositionEmbeddings(), b.typeVocabSize()))
                    .isEqualTo(List.of(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                            c.intermediateSize(), c.maxPositionEmbeddings(), c.typeVocabSize()));
            assertThat(b.hiddenAct()).isEqualTo(c.hiddenAct());
            assertThat(b.layerNormEps()).isCloseTo(c.layerNormEps(), org.assertj.core.data.Offset.offset(1e-18));
            assertThat(r.tensors().keySet()).containsExactlyElementsOf(enc.parameters().keySet());
            for (Map.Entry<String, INDArray> e : enc.parameters().entrySet()) {
                assertBitIdentical(r.tensors().get(e.getKey()), e.getValue());
            }
            // and the imported directory loads and runs as the original
            Path imported = dir.resolve("imported");
            OnnxImport.toModelDirectory(onnx, seedModel().resolve("tokenizer.json"), imported);
            try (BertEncoder back = BertEncoder.load(imported)) {
                int[][][] batch = paddedBatch(c.vocabSize(), 4);
                assertThat(bert4j(back, batch).sequenceOutput()).isEqualTo(bert4j(enc, batch).sequenceOutput());
            }
            assertThat(imported.resolve("tokenizer.json")).exists();
            assertThat(imported.resolve("vocab.txt")).exists();
        }
    }

    static void assertBitIdentical(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        float[] a = actual.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
                throw new AssertionError("element " + i + ": " + a[i] + " != " + e[i]);
            }
        }
    }

    @Test
    void aTruncatedFileFailsClearlyAndLeavesNoDirectory(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("tiny.onnx");
        try (BertEncoder enc = BertEncoder.create(BertConfig.tiny(99), 1)) {
            OnnxExport.of(enc).write(onnx);
        }
        byte[] bytes = Files.readAllBytes(onnx);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> OnnxImport.toModelDirectory(cut, null, out))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tiny.onnx", "cut.onnx");
        }
    }

    @Test
    void aGraphThatIsNotBertFailsNamingWhatIsMissing(@TempDir Path dir) throws Exception {
        GraphWriter g = new GraphWriter("mlp");
        String h = g.op("MatMul", "/mlp", List.of("x", g.weight("w", Nd4j.rand(DataType.FLOAT, 4, 4))));
        g.opTo("y", "Relu", "/mlp", List.of(h));
        g.graph().addInput(GraphWriter.value("x", Onnx.TensorProto.DataType.FLOAT, "b", 4));
        g.graph().addOutput(GraphWriter.value("y", Onnx.TensorProto.DataType.FLOAT, "b", 4));
        byte[] bytes = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g.graph())
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17)).build().toByteArray();
        assertThatThrownBy(() -> OnnxImport.parse(bytes, "mlp.onnx"))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("mlp.onnx").hasMessageContaining("input_ids");
    }

    @Test
    void aMissingInitializerFailsNamingIt(@TempDir Path dir) throws Exception {
        Onnx.ModelProto model;
        try (BertEncoder enc = BertEncoder.create(BertConfig.tiny(99), 1)) {
            model = OnnxExport.of(enc).build();
        }
        String dropped = "bert.encoder.layer.1.intermediate.dense.weight";
        Onnx.GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals(dropped)) {
                graph.removeInitializer(i);
                break;
            }
        }
        byte[] bytes = model.toBuilder().setGraph(graph).build().toByteArray();
        assertThatThrownBy(() -> OnnxImport.parse(bytes, "broken.onnx"))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("broken.onnx")
                .hasMessageContaining("layer 1");
    }

    @Test
    void fusedContribOperatorsAreRefused() {
        Onnx.ModelProto model;
        try (BertEncoder enc = BertEncoder.create(BertConfig.tiny(99), 1)) {
            model = OnnxExport.of(enc).build();
        }
        Onnx.GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.addNode(Onnx.NodeProto.newBuilder().setOpType("SkipLayerNormalization").setDomain("com.microsoft")
                .addInput("last_hidden_state").addOutput("z"));
        byte[] bytes = model.toBuilder().setGraph(graph).build().toByteArray();
        assertThatThrownBy(() -> OnnxImport.parse(bytes, "opt.onnx"))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("com.microsoft:SkipLayerNormalization");
    }
}
