package io.github.bert4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Additive metric sums ({@code sum}, {@code count} per name) that can be merged across batches
 * and turned into means. {@code loss} style metrics add {@code value * n} with count {@code n};
 * accuracies add {@code correct} with count {@code total}.
 */
public final class Metrics {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    /** Adds {@code sum} over {@code count} items to metric {@code name}. */
    public Metrics add(String name, double sum, double count) {
        double[] s = sums.computeIfAbsent(name, k -> new double[2]);
        s[0] += sum;
        s[1] += count;
        return this;
    }

    /** Adds every metric of {@code other} into this one. */
    public Metrics merge(Metrics other) {
        other.sums.forEach((k, v) -> add(k, v[0], v[1]));
        return this;
    }

    /** The mean of every metric with a non-zero count, by name, in insertion order. */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, v) -> {
            if (v[1] > 0) out.put(k, v[0] / v[1]);
        });
        return out;
    }

    /** How many items metric {@code name} was computed over (0 if it never was). */
    public double count(String name) {
        double[] s = sums.get(name);
        return s == null ? 0 : s[1];
    }

    /** The raw {@code [sum, count]} per name (for checkpoints). */
    Map<String, double[]> sums() {
        return sums;
    }

    public boolean isEmpty() {
        return sums.isEmpty();
    }

    @Override
    public String toString() {
        return means().toString();
    }
}
