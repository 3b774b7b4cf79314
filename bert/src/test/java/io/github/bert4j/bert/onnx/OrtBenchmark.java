package io.github.bert4j.bert.onnx;

import io.github.bert4j.bert.BertBenchmark;
import io.github.bert4j.bert.BertEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference throughput of a model directory exported to ONNX and run by ONNX Runtime (2 intra-op
 * threads, all graph optimizations), then of bert4j's own encoder on the same batch, in one JVM
 * (ONNX Runtime first). A benchmark, not a test:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp &lt;bert test class path&gt; io.github.bert4j.bert.onnx.OrtBenchmark \
 *     examples/models/seed-petitions 64 128 3 7
 * </pre>
 * prints one JSON line: tokens/s of each (median of the timed batches) and the ratio.
 */
public final class OrtBenchmark {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int b = Integer.parseInt(args[1]);
        int t = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        Path onnx = Files.createTempFile("bert4j-bench", ".onnx");
        try (BertEncoder enc = BertEncoder.load(model)) {
            OnnxExport.of(enc).write(onnx);
            Random r = new Random(42);
            int[][] ids = new int[b][t];
            int[][] mask = new int[b][t];
            int[][] types = new int[b][t];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    ids[i][j] = 5 + r.nextInt(enc.config().vocabSize() - 5);
                    mask[i][j] = 1;
                    types[i][j] = j >= t / 2 ? 1 : 0;
                }
            }
            List<Double> ort = new ArrayList<>();
            try (OrtRunner runner = new OrtRunner(onnx)) {
                for (int i = 0; i < warmup + steps; i++) {
                    long t0 = System.nanoTime();
                    runner.run(ids, mask, types);
                    if (i >= warmup) {
                        ort.add((System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            var idArr = Nd4j.createFromArray(ids);
            var typeArr = Nd4j.createFromArray(types);
            var maskArr = Nd4j.createFromArray(mask).castTo(DataType.FLOAT);
            List<Double> ours = new ArrayList<>();
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                enc.encode(idArr, typeArr, maskArr);
                if (i >= warmup) {
                    ours.add((System.nanoTime() - t0) / 1e9);
                }
            }
            double ortTps = (double) b * t / BertBenchmark.median(ort);
            double bertTps = (double) b * t / BertBenchmark.median(ours);
            System.out.printf("{\"model\":\"%s\",\"batch\":%d,\"seq_length\":%d,\"steps\":%d,"
                    + "\"onnxruntime_tokens_per_s\":%.0f,\"bert4j_tokens_per_s\":%.0f,\"bert4j_over_onnxruntime\":%.3f}%n",
                    model, b, t, steps, ortTps, bertTps, bertTps / ortTps);
        } finally {
            Files.deleteIfExists(onnx);
        }
    }
}
