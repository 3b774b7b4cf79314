package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side throughput of bert4j ({@link BertBenchmark}) and the PyTorch reference ({@link
 * TorchBert}, HF-style: index-select embeddings, MLM on gathered positions, dropout 0.1, autograd)
 * in one JVM: {@code TorchBenchmark <seed|base|config.json> [batch] [length] [steps] [both|torch|torch-infer|bert4j]}. Not a test;
 * run by hand. {@code torch} / {@code bert4j} time one side only ({@code torch-infer}: PyTorch's inference only) (in a JVM of its own, so that
 * neither side's thread pools compete with the other's).
 * PyTorch's optimizer step is not timed (nor is bert4j's).
 */
public final class TorchBenchmark {
    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "seed";
        Object[] p = preset.endsWith(".json")
                ? new Object[] {BertConfig.load(java.nio.file.Path.of(preset)), 64, 128}
                : BertBenchmark.presets().get(preset);
        if (p == null) {
            throw new IllegalArgumentException("unknown preset " + preset + ": seed, base or a config.json");
        }
        BertConfig c = (BertConfig) p[0];
        int b = args.length > 1 ? Integer.parseInt(args[1]) : (Integer) p[1];
        int t = args.length > 2 ? Integer.parseInt(args[2]) : (Integer) p[2];
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String sides = args.length > 4 ? args[4] : "both";
        if (sides.equals("bert4j")) {
            System.out.println(BertBenchmark.run(preset, c, b, t, 2, steps, 42).toJson());
            return;
        }
        BertBenchmark.Result ours = sides.startsWith("torch") ? null : BertBenchmark.run(preset, c, b, t, 2, steps, 42);
        PretrainingBatch batch = BertBenchmark.randomBatch(c, b, t, 42);
        double[] torch;
        try (BertPreTrainingModel m = BertPreTrainingModel.create(c, 42); TorchBert tb = new TorchBert(c, m.parameters())) {
            tb.dropout = (float) c.hiddenDropoutProb().doubleValue();
            List<Double> train = new ArrayList<>();
            List<Double> infer = new ArrayList<>();
            for (int i = 0; !sides.equals("torch-infer") && i < steps + 2; i++) {
                long t0 = System.nanoTime();
                tb.run(batch, true, false);
                if (i >= 2) {
                    train.add((System.nanoTime() - t0) / 1e9);
                }
            }
            for (int i = 0; i < steps + 2; i++) {
                long t0 = System.nanoTime();
                try (NDManager sub = tb.manager.newSubManager()) {
                    tb.encode(sub, batch).toFloatArray();
                }
                if (i >= 2) {
                    infer.add((System.nanoTime() - t0) / 1e9);
                }
            }
            long tokens = (long) b * t;
            torch = new double[] {train.isEmpty() ? 0 : tokens / BertBenchmark.median(train), tokens / BertBenchmark.median(infer)};
        }
        if (ours == null) {
            System.out.printf(Locale.ROOT, "{\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,\"torch_train_tokens_per_s\":%.1f,"
                    + "\"torch_infer_tokens_per_s\":%.1f,\"peak_rss_mb\":%d}%n", preset, b, t, torch[0], torch[1], BertBenchmark.peakRssMb());
            return;
        }
        System.out.println(ours.toJson());
        System.out.printf(Locale.ROOT, "{\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,\"torch_train_tokens_per_s\":%.1f,"
                + "\"torch_infer_tokens_per_s\":%.1f,\"train_ratio\":%.3f,\"infer_ratio\":%.3f,\"peak_rss_mb\":%d}%n",
                preset, b, t, torch[0], torch[1], ours.trainTokensPerSecond() / torch[0],
                ours.inferTokensPerSecond() / torch[1], BertBenchmark.peakRssMb());
    }
}
