package io.github.bert4j.ner;

import io.github.bert4j.bert.BertBenchmark;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.ner.crf.ViterbiResult;
import io.github.bert4j.ner.data.TagSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tagging throughput of a BERT+CRF tagger (encoder inference pass, classifier, constrained Viterbi)
 * on random batches of sentences whose lengths vary between a quarter of the padded length and the
 * padded length, as real sentences do. Medians after warm-up. Used by {@code bench ner}; also
 * runnable as a main: {@code NerBenchmark seed 64 128 5}. Test scope, not in the library jar: the
 * ner test jar carries it to the CLI (examples), next to the PyTorch side ({@code
 * TorchNerBenchmark}) that decodes the same {@link #randomTagger} and {@link #randomInputs}.
 */
public final class NerBenchmark {
    private NerBenchmark() {}

    /** Measured figures: sentences/s and real (unpadded) tokens/s of {@link BertCrfTagger#decode}. */
    public record Result(String preset, int batchSize, int seqLength, int tags, int steps, double sentencesPerSecond,
            double tokensPerSecond, double batchSeconds, long peakRssMb) {

        /** One JSON line with the keys the {@code bench ner} CLI prints. */
        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,\"tags\":%d,\"steps\":%d,"
                            + "\"sentences_per_s\":%.1f,\"tokens_per_s\":%.1f,\"batch_s\":%.4f,\"peak_rss_mb\":%d}",
                    preset, batchSize, seqLength, tags, steps, sentencesPerSecond, tokensPerSecond, batchSeconds, peakRssMb);
        }
    }

    /** Token ids {@code [B,T]} and attention mask {@code [B,T]} of a random batch: {@code [CLS] ... [SEP]} then padding. */
    public record Inputs(INDArray inputIds, INDArray attentionMask, int realTokens) {}

    /** A random batch; sequence lengths uniform in {@code [max(3, t/4), t]}, ids 5.. (0..4 are special). */
    public static Inputs randomInputs(int vocab, int b, int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] ids = new int[b][t];
        int[][] mask = new int[b][t];
        int real = 0;
        int min = Math.max(3, t / 4);
        for (int i = 0; i < b; i++) {
            int len = min + r.nextInt(t - min + 1);
            for (int j = 0; j < len; j++) {
                ids[i][j] = 5 + r.nextInt(vocab - 5);
                mask[i][j] = 1;
            }
            ids[i][0] = 2;
            ids[i][len - 1] = 3;
            real += len;
        }
        return new Inputs(Nd4j.createFromArray(ids), Nd4j.createFromArray(mask), real);
    }

    /** A tagger with a random encoder and head of {@code config}, tagging KLUE's 13 BIO tags. */
    public static BertCrfTagger randomTagger(BertConfig config, long seed) {
        return BertCrfTagger.create(BertEncoder.create(config, seed, DataType.FLOAT), TagSet.klue(), true,
                config.hiddenDropoutProb(), seed);
    }

    /** Runs {@code warmup + steps} decodes of one random batch and returns medians. */
    public static Result run(String preset, BertConfig config, int b, int t, int warmup, int steps, long seed) {
        try (BertCrfTagger tagger = randomTagger(config, seed)) {
            Inputs in = randomInputs(config.vocabSize(), b, t, seed);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                ViterbiResult[] paths = tagger.decode(in.inputIds(), in.attentionMask());
                if (paths.length != b) {
                    throw new IllegalStateException("decoded " + paths.length + " sequences, expected " + b);
                }
                if (i >= warmup) {
                    times.add((System.nanoTime() - t0) / 1e9);
                }
            }
            double s = BertBenchmark.median(times);
            return new Result(preset, b, t, tagger.tags().size(), steps, b / s, in.realTokens() / s, s,
                    BertBenchmark.peakRssMb());
        }
    }

    /** {@code NerBenchmark <seed|base> [batch] [length] [steps]}: prints one JSON line. */
    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "seed";
        Object[] p = BertBenchmark.presets().get(preset);
        if (p == null) {
            throw new IllegalArgumentException("unknown preset " + preset + ", expected " + BertBenchmark.presets().keySet());
        }
        int b = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int t = args.length > 2 ? Integer.parseInt(args[2]) : (Integer) p[2];
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        System.out.println(run(preset, (BertConfig) p[0], b, t, 2, steps, 42).toJson()); // a command-line tool's output
    }
}
