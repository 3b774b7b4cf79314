package io.github.bert4j.ner;

import io.github.bert4j.bert.BertBenchmark;
import io.github.bert4j.bert.BertConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PyTorch side of {@code bench ner --compare-pytorch}: the same random tagger and batch as
 * {@link NerBenchmark} (same seeds), decoded by {@link TorchCrfTagger}. Run in a JVM of its own:
 * {@code TorchNerBenchmark <seed|base|config.json> B T steps [seed]}; prints one JSON line.
 */
public final class TorchNerBenchmark {
    private TorchNerBenchmark() {}

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "seed";
        BertConfig c = preset.endsWith(".json") ? BertConfig.load(java.nio.file.Path.of(preset))
                : (BertConfig) BertBenchmark.presets().get(preset)[0];
        int b = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int t = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        NerBenchmark.Inputs in = NerBenchmark.randomInputs(c.vocabSize(), b, t, seed);
        List<Double> times = new ArrayList<>();
        try (BertCrfTagger tagger = NerBenchmark.randomTagger(c, seed); TorchCrfTagger torch = new TorchCrfTagger(tagger)) {
            for (int i = 0; i < steps + 2; i++) {
                long t0 = System.nanoTime();
                int[][] paths = torch.decode(in.inputIds(), in.attentionMask());
                if (paths.length != b) {
                    throw new IllegalStateException("decoded " + paths.length + " sequences, expected " + b);
                }
                if (i >= 2) {
                    times.add((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        double s = BertBenchmark.median(times);
        System.out.printf(Locale.ROOT, "{\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,\"torch_sentences_per_s\":%.1f,"
                + "\"torch_tokens_per_s\":%.1f,\"peak_rss_mb\":%d}%n", preset, b, t, b / s, in.realTokens() / s,
                BertBenchmark.peakRssMb());
    }
}
