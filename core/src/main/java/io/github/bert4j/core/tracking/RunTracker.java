package io.github.bert4j.core.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Records one training run: parameters, metric curves, tags and artifacts.
 *
 * <p>{@link #create(Path, String, String)} writes MLflow's file-store layout, so {@code mlflow ui}
 * started in the directory that holds {@code mlruns/} lists our runs (see {@link MlflowRunTracker}
 * for the exact files). On {@link #close()} the run is marked FINISHED and its metrics are also
 * available as {@code artifacts/metrics.csv} and as PNG charts, one per metric family
 * ({@code train_loss} and {@code valid_loss} together in {@code loss.png}).
 *
 * <p>All methods are thread-safe. Use in try-with-resources and call {@link #fail(Throwable)}
 * before closing when the run failed:
 * <pre>{@code
 * try (RunTracker run = RunTracker.create(Path.of("mlruns"), "pretraining", "seed-model")) {
 *     run.logParams(Map.of("lr", 1e-4, "batch_size", 32));
 *     ...
 *     run.logMetric("train_loss", loss, step);
 * } // FINISHED, metrics.csv and plots written
 * }</pre>
 */
public interface RunTracker extends AutoCloseable {

    /**
     * Starts a run in the MLflow file store at {@code mlrunsDir} (created if missing), in the
     * experiment named {@code experimentName} (created if missing; {@code null} or blank means
     * MLflow's {@code Default}, id 0). {@code runName} may be null. Runs of the experiment left
     * RUNNING by a process that no longer exists (a {@code kill -9}) are marked KILLED first.
     */
    static RunTracker create(Path mlrunsDir, String experimentName, String runName) {
        return MlflowRunTracker.start(mlrunsDir, experimentName, runName);
    }

    /**
     * Continues run {@code runId} of that experiment, as a resumed training does: its params and
     * tags stay (a param logged again with another value, e.g. a raised {@code max_steps}, keeps its
     * first value; the new one goes to tag {@code bert4j.changed_on_resume.<key>}), metric points logged after {@code afterStep} are dropped (the resumed training
     * logs those steps again), and its status is RUNNING again until closed. Starts a new run (with
     * a warning) if there is no such run. As {@link #create} does, marks KILLED the experiment's
     * runs left RUNNING by processes that are gone (killed with SIGKILL, power loss).
     */
    static RunTracker resume(Path mlrunsDir, String experimentName, String runName, String runId, long afterStep) {
        return MlflowRunTracker.resume(mlrunsDir, experimentName, runName, runId, afterStep);
    }

    /** A tracker that records nothing (for tests and library use without tracking). */
    static RunTracker noop() {
        return new MemoryRunTracker(false);
    }

    /** A tracker that keeps params, tags and metric histories in memory only (handy in tests). */
    static RunTracker inMemory() {
        return new MemoryRunTracker(true);
    }

    /** 32 lowercase hex characters. */
    String runId();

    /** The run's directory ({@code mlruns/<experiment_id>/<run_id>}); a temporary directory for in-memory trackers. */
    Path runDir();

    /** The run's artifact directory ({@code <runDir>/artifacts}); write extra outputs here. */
    Path artifactDir();

    /**
     * Logs a parameter; its {@code String.valueOf} is stored. Like MLflow, a parameter cannot
     * change: logging the same key again with a different value throws {@link IllegalArgumentException}.
     */
    void logParam(String key, Object value);

    /** Logs every entry; nested maps are flattened to dotted keys ({@code train.lr}). */
    default void logParams(Map<String, ?> params) {
        flatten("", params, this);
    }

    /** Appends one point of metric {@code key} at {@code step} (timestamped now). */
    void logMetric(String key, double value, long step);

    /** Logs every entry at {@code step}. */
    default void logMetrics(Map<String, ? extends Number> metrics, long step) {
        metrics.forEach((k, v) -> logMetric(k, v.doubleValue(), step));
    }

    /** Sets (or replaces) a tag. */
    void setTag(String key, String value);

    /** Copies {@code file} (or a directory, recursively) into {@link #artifactDir()}. */
    void logArtifact(Path file);

    /** The points logged so far for {@code key}, in logging order (empty if none or for {@link #noop()}). */
    List<MetricPoint> metricHistory(String key);

    /** The parameters logged so far, as stored strings (empty for {@link #noop()}). */
    Map<String, String> params();

    /** Ends the run as FAILED (recording the error as tag {@code error}); later {@link #close()} does nothing more. */
    void fail(Throwable error);

    /** Ends the run as FINISHED (unless it failed) and writes {@code metrics.csv} and the plots. Idempotent. */
    @Override
    void close();

    private static void flatten(String prefix, Map<String, ?> params, RunTracker t) {
        for (Map.Entry<String, ?> e : params.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> sub = (Map<String, ?>) m;
                flatten(key, sub, t);
            } else {
                t.logParam(key, e.getValue());
            }
        }
    }
}
