package io.github.bert4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Training statistics over one logging interval: example-weighted loss, grad norms, tokens/s. */
final class IntervalStats {
    private double lossSum;
    private long examples;
    private long tokens;
    private double gradNormSum;
    private int steps;
    private Metrics metrics = new Metrics();
    private long startNanos = System.nanoTime();

    void add(double loss, long stepExamples, long stepTokens, double gradNorm, Metrics stepMetrics) {
        lossSum += loss * stepExamples;
        examples += stepExamples;
        tokens += stepTokens;
        gradNormSum += gradNorm;
        steps++;
        metrics.merge(stepMetrics);
    }

    boolean isEmpty() {
        return steps == 0;
    }

    double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    double tokensPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? tokens / seconds : 0;
    }

    /** {@code train_loss}, {@code grad_norm}, {@code tokens_per_s} and the model's metrics as {@code train_<name>}. */
    Map<String, Double> summary() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("train_loss", meanLoss());
        out.put("grad_norm", steps == 0 ? Double.NaN : gradNormSum / steps);
        out.put("tokens_per_s", tokensPerSecond());
        metrics.means().forEach((k, v) -> {
            if (!k.equals("loss")) out.put(k.startsWith("train_") ? k : "train_" + k, v);
        });
        return out;
    }

    /** The sums so far (not the clock), for a checkpoint. */
    TrainerState.Interval snapshot() {
        Map<String, java.util.List<Double>> m = new LinkedHashMap<>();
        metrics.sums().forEach((k, v) -> m.put(k, java.util.List.of(v[0], v[1])));
        return new TrainerState.Interval(lossSum, examples, tokens, gradNormSum, steps, m);
    }

    /** Continues from a {@link #snapshot()}: the next summary covers its steps too (tokens/s only this process's). */
    void restore(TrainerState.Interval s) {
        reset();
        lossSum = s.lossSum();
        examples = s.examples();
        gradNormSum = s.gradNormSum();
        steps = s.steps();
        s.metrics().forEach((k, v) -> metrics.add(k, v.get(0), v.get(1)));
    }

    void reset() {
        lossSum = 0;
        examples = 0;
        tokens = 0;
        gradNormSum = 0;
        steps = 0;
        metrics = new Metrics();
        startNanos = System.nanoTime();
    }
}
