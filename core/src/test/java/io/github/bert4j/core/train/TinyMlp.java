package io.github.bert4j.core.train;

import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-layer softmax classifier on SameDiff, in double precision: {@code x (B,4) -> relu(x W1 + b1)
 * * dropoutMask (B,H) -> (.) W2 + b2 (B,3) -> mean cross-entropy}. The dropout mask is drawn from
 * ND4J's generator in Java and fed as a placeholder, so the trainer's per-micro-step seeding
 * decides it. Gradients come from {@code calculateGradientsAndOutputs}.
 */
final class TinyMlp implements TrainableModel<TinyMlp.Batch> {
    static final int IN = 4;
    static final int HIDDEN = 9;
    static final int CLASSES = 3;

    /** x: (B, 4); y: one-hot (B, 3). */
    record Batch(INDArray x, INDArray y) {
        int size() {
            return (int) x.size(0);
        }
    }

    private final SameDiff sd = SameDiff.create();
    private final double dropout;
    private final List<String> names = List.of("dense.weight", "dense.bias", "out.weight", "out.bias");

    TinyMlp(long initSeed, double dropout) {
        this.dropout = dropout;
        Nd4j.getRandom().setSeed(initSeed);
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, IN);
        SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, CLASSES);
        SDVariable mask = sd.placeHolder("mask", DataType.DOUBLE, -1, HIDDEN);
        SDVariable w1 = sd.var("dense.weight", Nd4j.randn(DataType.DOUBLE, IN, HIDDEN).muli(0.5));
        SDVariable b1 = sd.var("dense.bias", Nd4j.zeros(DataType.DOUBLE, HIDDEN));
        SDVariable w2 = sd.var("out.weight", Nd4j.randn(DataType.DOUBLE, HIDDEN, CLASSES).muli(0.5));
        SDVariable b2 = sd.var("out.bias", Nd4j.zeros(DataType.DOUBLE, CLASSES));
        SDVariable h = sd.nn.relu(x.mmul(w1).add(b1), 0).mul(mask);           // (B, H)
        SDVariable logits = h.mmul(w2).add(b2).rename("logits");               // (B, C)
        SDVariable logp = sd.nn.logSoftmax(logits);                           // (B, C), last axis
        y.mul(logp).sum(1).mean().neg().rename("loss");
        sd.setLossVariables("loss");
    }

    @Override
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (String n : names) p.put(n, sd.getVariable(n).getArr());
        return p;
    }

    @Override
    public StepOutput trainStep(Batch b) {
        INDArray mask = Nd4j.rand(DataType.DOUBLE, b.size(), HIDDEN).lt(1 - dropout).castTo(DataType.DOUBLE)
                .divi(1 - dropout);
        OutAndGrad r = sd.calculateGradientsAndOutputs(placeholders(b, mask), List.of("loss", "logits"), names);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        r.getGradients().forEach((k, v) -> grads.put(k, v.dup()));
        double loss = r.getOutputs().get("loss").getDouble(0);
        Metrics m = new Metrics().add("accuracy", correct(r.getOutputs().get("logits"), b.y()), b.size());
        return new StepOutput(loss, grads, m, (long) b.size() * IN, b.size());
    }

    /** Loss and accuracy without dropout. */
    Map<String, Double> evaluate(Batch b) {
        Map<String, INDArray> out = sd.output(placeholders(b, Nd4j.ones(DataType.DOUBLE, b.size(), HIDDEN)), "loss", "logits");
        return Map.of("loss", out.get("loss").getDouble(0), "accuracy", correct(out.get("logits"), b.y()) / b.size());
    }

    private static Map<String, INDArray> placeholders(Batch b, INDArray mask) {
        return Map.of("x", b.x(), "y", b.y(), "mask", mask);
    }

    private static double correct(INDArray logits, INDArray y) {
        return logits.argMax(1).eq(y.argMax(1)).castTo(DataType.DOUBLE).sumNumber().doubleValue();
    }

    @Override
    public void save(Path dir) throws IOException {
        SafeTensors.write(dir.resolve(Checkpoints.MODEL_FILE), parameters(), Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve("config.json"), "{\"hidden\": " + HIDDEN + "}\n");
    }

    /** Three Gaussian blobs in 4-d; {@code n} examples, fixed by {@code seed}. */
    static Batch dataset(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][IN];
        double[][] y = new double[n][CLASSES];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            for (int j = 0; j < IN; j++) x[i][j] = (j == c ? 2.0 : 0.0) + r.nextGaussian() * 0.7;
            y[i][c] = 1;
        }
        return new Batch(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /** Micro-batches of {@code batchSize} rows of {@code data}, shuffled per epoch from {@code (epoch, seed)}. */
    static BatchSource<Batch> source(Batch data, int batchSize) {
        return new BatchSource<>() {
            @Override
            public Iterator<Batch> epoch(int epoch, long seed) {
                int n = data.size();
                int[] order = permutation(n, new SplittableRandom(seed * 31 + epoch));
                List<Batch> out = new ArrayList<>();
                for (int s = 0; s < n; s += batchSize) {
                    int[] rows = java.util.Arrays.copyOfRange(order, s, Math.min(n, s + batchSize));
                    out.add(new Batch(data.x().getRows(rows), data.y().getRows(rows)));
                }
                return out.iterator();
            }

            @Override
            public long batchesPerEpoch() {
                return (data.size() + batchSize - 1) / batchSize;
            }
        };
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
