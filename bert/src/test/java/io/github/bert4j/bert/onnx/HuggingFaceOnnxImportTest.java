package io.github.bert4j.bert.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.embed.TextEmbedder;
import io.github.bert4j.core.testing.MiniLm;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * all-MiniLM-L6-v2 as HuggingFace exported it: imported by graph structure (its MatMul weights are
 * anonymous and stored [in, out]; it has no pooler), run by bert4j, compared with ONNX Runtime on
 * the original file over 220 real English and Korean sentences.
 */
class HuggingFaceOnnxImportTest {
    @TempDir
    static Path dir;
    static Path onnx;
    static Path model;
    static List<String> sentences;

    @BeforeAll
    static void importIt() throws Exception {
        onnx = MiniLm.copy(MiniLm.ONNX, dir);
        model = dir.resolve("minilm");
        OnnxImport.toModelDirectory(onnx, MiniLm.copy(MiniLm.TOKENIZER, dir), model);
        sentences = MiniLm.sentences(110, 110);
        Tokenizer tok = Tokenizer.load(model.resolve("tokenizer.json")).withoutPadding();
        try (OrtRunner ort = new OrtRunner(onnx)) {
            for (int from = 0; from < sentences.size(); from += BATCH) {
                int[][][] in = pad(tok.encodeBatch(sentences.subList(from, from + BATCH)));
                inputs.add(in);
                reference.add(ort.run(in[0], in[1], in[2]).get("last_hidden_state"));
            }
        }
    }

    static final int BATCH = 20;
    /** Per batch of 20 sentences: ids, mask, types padded to the longest, and ONNX Runtime's last_hidden_state. */
    static final List<int[][][]> inputs = new java.util.ArrayList<>();
    static final List<OrtRunner.Output> reference = new java.util.ArrayList<>();

    @Test
    void theConfigIsReadFromTheGraph() throws Exception {
        BertConfig c = BertConfig.load(model);
        assertThat(List.of(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                c.intermediateSize(), c.maxPositionEmbeddings(), c.typeVocabSize()))
                .containsExactly(30522, 384, 6, 12, 1536, 512, 2);
        assertThat(c.hiddenAct()).isEqualTo("gelu");
        assertThat(c.layerNormEps()).isEqualTo(1e-12, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(OnnxImport.read(onnx).notes()).singleElement().asString().contains("no pooler");
    }

    @Test
    void hiddenStatesAgreeWithOnnxRuntimeOnTheOriginalFile() throws Exception {
        assertThat(sentences).hasSize(220);
        double worst = 0;
        try (BertEncoder enc = BertEncoder.load(model)) {
            for (int k = 0; k < inputs.size(); k++) {
                int[][][] in = inputs.get(k);
                OrtRunner.Output ref = reference.get(k);
                INDArray ours = enc.encode(Nd4j.createFromArray(in[0]), Nd4j.createFromArray(in[2]),
                        Nd4j.createFromArray(in[1]).castTo(DataType.FLOAT)).sequenceOutput();
                float[] o = ours.dup('c').data().asFloat();
                assertThat(o).hasSize(ref.data().length);
                for (int i = 0; i < o.length; i++) {
                    worst = Math.max(worst, Math.abs(o[i] - ref.data()[i]));
                }
            }
        }
        assertThat(worst).as("max |bert4j - onnxruntime| over 220 sentences").isLessThan(1e-4);
    }

    @Test
    void sentenceEmbeddingsMatchMeanPoolingOfOnnxRuntime() throws Exception {
        double minCos = 1;
        try (TextEmbedder emb = TextEmbedder.load(model, TextEmbedder.Pooling.MEAN, true)) {
            List<float[]> ours = emb.embed(sentences);
            for (int batch = 0; batch < inputs.size(); batch++) {
                int[][][] in = inputs.get(batch);
                OrtRunner.Output ref = reference.get(batch);
                int from = batch * BATCH;
                int t = in[0][0].length;
                int h = 384;
                for (int i = 0; i < BATCH; i++) {
                    double[] mean = new double[h];
                    int n = 0;
                    for (int j = 0; j < t; j++) {
                        if (in[1][i][j] == 1) {
                            n++;
                            for (int k = 0; k < h; k++) {
                                mean[k] += ref.data()[(i * t + j) * h + k];
                            }
                        }
                    }
                    float[] v = ours.get(from + i);
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int k = 0; k < h; k++) {
                        double m = mean[k] / n;
                        dot += m * v[k];
                        na += m * m;
                        nb += (double) v[k] * v[k];
                    }
                    assertThat(nb).as("normalised").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                    minCos = Math.min(minCos, dot / Math.sqrt(na * nb));
                }
            }
        }
        assertThat(minCos).as("smallest cosine similarity, bert4j vs ONNX Runtime embeddings").isGreaterThan(0.9999);
    }

    @Test
    void semanticallyCloseSentencesAreCloser() throws Exception {
        try (TextEmbedder emb = TextEmbedder.load(model, TextEmbedder.Pooling.MEAN, true)) {
            List<float[]> v = emb.embed(List.of("A man is playing a guitar.", "Someone plays the guitar.",
                    "The stock market fell sharply today."));
            assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.3);
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** ids, mask, types padded to the batch's longest encoding. */
    static int[][][] pad(List<Encoding> batch) {
        int t = batch.stream().mapToInt(Encoding::length).max().orElse(1);
        int[][] ids = new int[batch.size()][t];
        int[][] mask = new int[batch.size()][t];
        int[][] types = new int[batch.size()][t];
        for (int i = 0; i < batch.size(); i++) {
            Encoding e = batch.get(i);
            for (int j = 0; j < e.length(); j++) {
                ids[i][j] = e.ids()[j];
                mask[i][j] = 1;
                types[i][j] = e.typeIds()[j];
            }
        }
        return new int[][][] {ids, mask, types};
    }

}
