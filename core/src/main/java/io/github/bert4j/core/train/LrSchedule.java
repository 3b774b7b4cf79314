package io.github.bert4j.core.train;

import java.util.Map;

/**
 * The learning rate as a function of the optimizer step. {@code lr(s)} is the rate used by the
 * optimizer step taken after {@code s} completed steps ({@code s = 0} for the first step), the
 * convention of {@code transformers}' schedulers: with warm-up the first step has rate 0 and the
 * rate reaches its peak at {@code s = warmup}.
 *
 * <p>Stateful schedules ({@link ReduceOnPlateau}) react to {@link #observe(double)} and expose
 * their state for checkpoints through {@link #state()} / {@link #restore(Map)}.
 */
public interface LrSchedule {

    /** The learning rate for the step after {@code step} completed steps. */
    double lr(long step);

    /** Reports a validation metric (after an evaluation); ignored by stateless schedules. */
    default void observe(double metric) {}

    /** Mutable state to checkpoint (empty for stateless schedules). */
    default Map<String, Double> state() {
        return Map.of();
    }

    /** Restores {@link #state()}. */
    default void restore(Map<String, Double> state) {}

    /**
     * Linear warm-up from 0 to {@code peak} over {@code warmup} steps, then linear decay to 0 at
     * {@code total} steps ({@code get_linear_schedule_with_warmup}): {@code peak * s / warmup} for
     * {@code s < warmup}, else {@code peak * max(0, (total - s) / max(1, total - warmup))}.
     */
    static LrSchedule linearWarmupDecay(double peak, long warmup, long total) {
        checkArgs(peak, warmup);
        if (total < warmup) throw new IllegalArgumentException("total steps " + total + " < warmup " + warmup);
        return s -> s < warmup
                ? warmupFactor(s, warmup) * peak
                : peak * Math.max(0.0, (double) (total - s) / Math.max(1, total - warmup));
    }

    /** Linear warm-up from 0 to {@code peak} over {@code warmup} steps, then constant. */
    static LrSchedule constantWithWarmup(double peak, long warmup) {
        checkArgs(peak, warmup);
        return s -> warmupFactor(s, warmup) * peak;
    }

    /** See {@link ReduceOnPlateau}. */
    static ReduceOnPlateau reduceOnPlateau(
            double peak, long warmup, double factor, int patience, double minLr, TrainingConfig.BestMode mode) {
        return new ReduceOnPlateau(peak, warmup, factor, patience, minLr, mode);
    }

    /**
     * The schedule {@code cfg} asks for.
     *
     * @param totalSteps optimizer steps of the whole run (needed by LINEAR)
     */
    static LrSchedule from(TrainingConfig cfg, long totalSteps) {
        return switch (cfg.scheduler()) {
            case LINEAR -> linearWarmupDecay(cfg.lr(), cfg.warmupSteps(), totalSteps);
            case CONSTANT -> constantWithWarmup(cfg.lr(), cfg.warmupSteps());
            case PLATEAU -> reduceOnPlateau(cfg.lr(), cfg.warmupSteps(), cfg.plateauFactor(),
                    cfg.plateauPatience(), cfg.plateauMinLr(), cfg.bestMode());
        };
    }

    /** {@code min(1, s / warmup)} ({@code 1} without warm-up). */
    static double warmupFactor(long s, long warmup) {
        return s >= warmup ? 1.0 : (double) s / warmup;
    }

    private static void checkArgs(double peak, long warmup) {
        if (!(peak > 0) || warmup < 0) {
            throw new IllegalArgumentException("need peak > 0 and warmup >= 0, got " + peak + ", " + warmup);
        }
    }
}
