package io.github.bert4j.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.MiniLm;
import io.github.bert4j.core.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The README's ONNX examples run: export, serve in ONNX Runtime (same numbers as bert4j), import and embed. */
class OnnxExampleTest {
    @TempDir
    Path tmp;

    @Test
    void exportedSeedEncoderServesInOnnxRuntime() throws Exception {
        Path seed = TestData.root().resolve("examples/models/seed-petitions");
        Path onnx = tmp.resolve("encoder.onnx");
        try (BertEncoder enc = BertEncoder.load(seed)) {
            io.github.bert4j.bert.onnx.OnnxExport.of(enc).write(onnx);
            String text = "대통령은 오늘 담화를 발표했다.";
            float[][][] h = OrtServingExample.lastHiddenState(onnx, seed.resolve("tokenizer.json"), text);
            var e = io.github.bert4j.tokenizer.Tokenizer.load(seed).encode(text);
            var ours = enc.encode(Nd4j.createFromArray(new int[][] {e.ids()}), Nd4j.createFromArray(new int[][] {e.typeIds()}),
                    Nd4j.createFromArray(new int[][] {e.attentionMask()}).castTo(DataType.FLOAT)).sequenceOutput();
            assertThat(h[0]).hasNumberOfRows(e.length());
            for (int t = 0; t < e.length(); t++) {
                for (int k = 0; k < h[0][t].length; k++) {
                    assertThat((double) h[0][t][k]).isCloseTo(ours.getDouble(0, t, k), org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void importedMiniLmEmbedsUnitVectors() throws Exception {
        List<float[]> v = OnnxExample.importAndEmbed(MiniLm.copy(MiniLm.ONNX, tmp), MiniLm.copy(MiniLm.TOKENIZER, tmp),
                tmp.resolve("minilm"), List.of("A man is playing a guitar.", "Someone plays the guitar."));
        assertThat(v).hasSize(2);
        assertThat(v.get(0)).hasSize(384);
        double n = 0;
        for (float x : v.get(0)) {
            n += x * x;
        }
        assertThat(n).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
}
