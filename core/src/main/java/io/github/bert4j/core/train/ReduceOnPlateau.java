package io.github.bert4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reduce the learning rate when a metric stops improving, as {@code
 * torch.optim.lr_scheduler.ReduceLROnPlateau} (relative threshold 1e-4, no cooldown), after an
 * optional linear warm-up: an observation is an improvement if it beats the best so far by the
 * relative threshold; after more than {@code patience} observations without improvement the rate
 * is multiplied by {@code factor} (not below {@code minLr}) and the count restarts.
 */
public final class ReduceOnPlateau implements LrSchedule {
    /** Relative improvement needed to count as better (torch's default {@code threshold}). */
    public static final double THRESHOLD = 1e-4;

    private final long warmup;
    private final double factor;
    private final int patience;
    private final double minLr;
    private final TrainingConfig.BestMode mode;
    private double current;
    private double best = Double.NaN;
    private int badObservations;

    ReduceOnPlateau(double peak, long warmup, double factor, int patience, double minLr, TrainingConfig.BestMode mode) {
        if (!(peak > 0 && factor > 0 && factor < 1 && patience >= 0 && minLr >= 0 && warmup >= 0)) {
            throw new IllegalArgumentException("bad plateau schedule: peak=" + peak + " factor=" + factor
                    + " patience=" + patience + " min_lr=" + minLr + " warmup=" + warmup);
        }
        this.current = peak;
        this.warmup = warmup;
        this.factor = factor;
        this.patience = patience;
        this.minLr = minLr;
        this.mode = mode;
    }

    @Override
    public double lr(long step) {
        return LrSchedule.warmupFactor(step, warmup) * current;
    }

    /** The rate after warm-up, as reduced so far. */
    public double current() {
        return current;
    }

    @Override
    public void observe(double metric) {
        if (isImprovement(metric)) {
            best = metric;
            badObservations = 0;
        } else if (++badObservations > patience) {
            current = Math.max(current * factor, minLr);
            badObservations = 0;
        }
    }

    private boolean isImprovement(double metric) {
        if (Double.isNaN(metric)) return false;
        if (Double.isNaN(best)) return true;
        return mode == TrainingConfig.BestMode.MIN ? metric < best * (1 - THRESHOLD) : metric > best * (1 + THRESHOLD);
    }

    @Override
    public Map<String, Double> state() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("current_lr", current);
        s.put("best", best);
        s.put("bad_observations", (double) badObservations);
        return s;
    }

    /** Restores {@link #state()}; an empty map (state of a stateless schedule) keeps the initial state. */
    @Override
    public void restore(Map<String, Double> state) {
        if (state.isEmpty()) return;
        current = require(state, "current_lr");
        best = require(state, "best");
        badObservations = (int) require(state, "bad_observations");
    }

    private static double require(Map<String, Double> state, String key) {
        Double v = state.get(key);
        if (v == null) throw new IllegalArgumentException("plateau schedule state lacks " + key + ": " + state);
        return v;
    }
}
