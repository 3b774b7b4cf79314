package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throughput of a pretraining step (forward + backward, dropout on, MLM on 15% of positions + NSP)
 * and of the encoder's inference forward pass, on random full-length batches. Medians after
 * warm-up. Used by the {@code bench pretrain|infer} CLI; also runnable as a main: {@code BertBenchmark
 * seed 64 128 5}. Test scope, not in the library jar: the bert test jar carries it to the CLI
 * (examples), next to the PyTorch side ({@code TorchBenchmark}) that times the same {@link
 * #randomBatch}.
 */
public final class BertBenchmark {
    private BertBenchmark() {}

    /** Measured figures; tokens/s count real tokens (all positions: the batches have no padding). */
    public record Result(String preset, int batchSize, int seqLength, int steps, double trainTokensPerSecond,
            double inferTokensPerSecond, double trainStepSeconds, double inferSeconds, long peakRssMb) {

        /** One JSON line with the keys the {@code bench} CLI prints. */
        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,\"steps\":%d,\"train_tokens_per_s\":%.1f,"
                            + "\"infer_tokens_per_s\":%.1f,\"train_step_s\":%.4f,\"infer_batch_s\":%.4f,\"peak_rss_mb\":%d}",
                    preset, batchSize, seqLength, steps, trainTokensPerSecond, inferTokensPerSecond, trainStepSeconds,
                    inferSeconds, peakRssMb);
        }
    }

    /**
     * A random batch: {@code b} sequences of length {@code t} ([CLS] A [SEP] B [SEP], segment B from
     * the middle), {@code round(0.15 t)} masked positions each, random NSP labels. Ids 0..4 are
     * reserved as [PAD] [UNK] [CLS] [SEP] [MASK].
     */
    public static PretrainingBatch randomBatch(BertConfig c, int b, int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int p = Math.max(1, (int) Math.round(0.15 * t));
        int[][] ids = new int[b][t];
        int[][] types = new int[b][t];
        int[][] mask = new int[b][t];
        int[][] pos = new int[b][p];
        int[][] labels = new int[b][p];
        float[][] w = new float[b][p];
        int[] nsp = new int[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i][j] = 5 + r.nextInt(c.vocabSize() - 5);
                types[i][j] = j >= t / 2 ? 1 : 0;
                mask[i][j] = 1;
            }
            ids[i][0] = 2;
            ids[i][t / 2 - 1] = 3;
            ids[i][t - 1] = 3;
            List<Integer> cand = new ArrayList<>();
            for (int j = 1; j < t - 1; j++) {
                if (j != t / 2 - 1) {
                    cand.add(j);
                }
            }
            Collections.shuffle(cand, new java.util.Random(r.nextLong()));
            List<Integer> chosen = new ArrayList<>(cand.subList(0, Math.min(p, cand.size())));
            Collections.sort(chosen);
            for (int k = 0; k < chosen.size(); k++) {
                pos[i][k] = chosen.get(k);
                labels[i][k] = ids[i][chosen.get(k)];
                w[i][k] = 1f;
                ids[i][chosen.get(k)] = 4;
            }
            nsp[i] = r.nextInt(2);
        }
        return new PretrainingBatch(Nd4j.createFromArray(ids), Nd4j.createFromArray(types), Nd4j.createFromArray(mask),
                Nd4j.createFromArray(pos), Nd4j.createFromArray(labels), Nd4j.createFromArray(w),
                Nd4j.createFromArray(nsp).castTo(DataType.INT));
    }

    /** Runs {@code warmup + steps} training steps and inference passes; returns medians. */
    public static Result run(String preset, BertConfig config, int b, int t, int warmup, int steps, long seed) {
        try (BertPreTrainingModel model = BertPreTrainingModel.create(config, seed)) {
            PretrainingBatch batch = randomBatch(config, b, t, seed);
            Nd4j.getRandom().setSeed(seed);
            List<Double> train = new ArrayList<>();
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                model.trainStep(batch);
                if (i >= warmup) {
                    train.add((System.nanoTime() - t0) / 1e9);
                }
            }
            double tr = median(train);
            double inf = median(timeEncodes(model.encoder(), batch, warmup, steps));
            long tokens = (long) b * t;
            return new Result(preset, b, t, steps, tokens / tr, tokens / inf, tr, inf, peakRssMb());
        }
    }

    /** Inference throughput: tokens/s and seconds per batch of an encoder forward pass (pooler included). */
    public record Inference(String preset, int batchSize, int seqLength, int steps, double tokensPerSecond,
            double batchSeconds, long peakRssMb) {

        /** One JSON line with the keys the {@code bench infer} CLI prints. */
        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,\"steps\":%d,"
                            + "\"tokens_per_s\":%.1f,\"batch_s\":%.6f,\"peak_rss_mb\":%d}",
                    preset, batchSize, seqLength, steps, tokensPerSecond, batchSeconds, peakRssMb);
        }
    }

    /**
     * Times {@code warmup + steps} inference passes ({@link BertEncoder#encode}) of a float32 encoder
     * with random weights on one random batch, without any training step, and returns the median.
     */
    public static Inference runInference(String preset, BertConfig config, int b, int t, int warmup, int steps, long seed) {
        try (BertEncoder enc = BertEncoder.create(config, seed, DataType.FLOAT)) {
            double s = median(timeEncodes(enc, randomBatch(config, b, t, seed), warmup, steps));
            return new Inference(preset, b, t, steps, (long) b * t / s, s, peakRssMb());
        }
    }

    /** Seconds of each of {@code steps} inference passes after {@code warmup} untimed ones. */
    private static List<Double> timeEncodes(BertEncoder enc, PretrainingBatch batch, int warmup, int steps) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + steps; i++) {
            long t0 = System.nanoTime();
            enc.encode(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask());
            if (i >= warmup) {
                times.add((System.nanoTime() - t0) / 1e9);
            }
        }
        return times;
    }

    /** The median of {@code xs} (the mean of the middle two for an even count). */
    public static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Peak resident set size of this process ({@code VmHWM} of /proc/self/status), or -1 if unknown. */
    public static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Presets of the benchmark: {@code seed} (vocab 12000, 64 × 128) and {@code base} (vocab 32000, 8 × 128). */
    public static Map<String, Object[]> presets() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("seed", new Object[] {BertConfig.seed(12000), 64, 128});
        m.put("base", new Object[] {BertConfig.base(32000), 8, 128});
        return m;
    }

    /** {@code BertBenchmark <seed|base> [batch] [length] [steps]}: prints one JSON line. */
    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "seed";
        Object[] p = presets().get(preset);
        if (p == null) {
            throw new IllegalArgumentException("unknown preset " + preset + ", expected " + presets().keySet());
        }
        int b = args.length > 1 ? Integer.parseInt(args[1]) : (Integer) p[1];
        int t = args.length > 2 ? Integer.parseInt(args[2]) : (Integer) p[2];
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Result r = run(preset, (BertConfig) p[0], b, t, 2, steps, 42);
        System.out.println(r.toJson()); // a command-line tool's output
    }
}
