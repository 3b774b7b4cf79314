package io.github.bert4j.bert.classification;

import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.core.train.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Evaluates a classifier on labelled sequences (inference mode, in the given order, {@code
 * batchSize} at a time): one forward pass per batch gives the predictions and, from the logits in
 * double precision, the mean cross-entropy. As a trainer {@link Evaluator} it reports {@code
 * loss}, {@code accuracy}, {@code macro_f1} and {@code weighted_f1} (the trainer prefixes {@code
 * valid_}).
 */
public final class ClassificationScorer implements Evaluator {

    /** A report and the per-document predictions behind it. */
    public record Evaluation(ClassificationReport report, int[] predicted, double[] confidence) {}

    private final BertForSequenceClassification model;
    private final List<int[]> sequences;
    private final int[] gold;
    private final int batchSize;
    private final int padId;

    public ClassificationScorer(BertForSequenceClassification model, List<int[]> sequences, int[] gold,
            int batchSize, int padId) {
        if (sequences.size() != gold.length) {
            throw new IllegalArgumentException(gold.length + " labels for " + sequences.size() + " sequences");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.model = model;
        this.sequences = List.copyOf(sequences);
        this.gold = gold.clone();
        this.batchSize = batchSize;
        this.padId = padId;
    }

    /** Scores {@code model} on the sequences. */
    public static Evaluation evaluate(BertForSequenceClassification model, List<int[]> sequences, int[] gold,
            int batchSize, int padId) {
        return new ClassificationScorer(model, sequences, gold, batchSize, padId).run();
    }

    /** Runs the model over every sequence and scores it. */
    public Evaluation run() {
        int n = sequences.size();
        int[] predicted = new int[n];
        double[] confidence = new double[n];
        double nll = 0;
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            List<int[]> chunk = new ArrayList<>(sequences.subList(start, end));
            double[][] logits;
            try (INDArray l = model.logits(ClassificationInputs.batch(chunk, null, padId))) {
                logits = l.castTo(DataType.DOUBLE).toDoubleMatrix();
            }
            for (int i = 0; i < logits.length; i++) {
                double[] z = logits[i];
                int best = 0;
                double max = z[0];
                for (int c = 1; c < z.length; c++) {
                    if (z[c] > max) {
                        max = z[c];
                        best = c;
                    }
                }
                double sum = 0;
                for (double v : z) sum += Math.exp(v - max);
                double logSum = max + Math.log(sum);
                predicted[start + i] = best;
                confidence[start + i] = Math.exp(z[best] - logSum);
                nll += logSum - z[gold[start + i]];
            }
        }
        Double loss = n == 0 ? null : nll / n;
        return new Evaluation(ClassificationReport.of(model.labels(), gold, predicted, loss), predicted, confidence);
    }

    @Override
    public Map<String, Double> evaluate() {
        return new LinkedHashMap<>(run().report().asMetrics());
    }
}
