package io.github.bert4j.core.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link RunTracker#noop()} ({@code record == false}) and {@link RunTracker#inMemory()}. */
final class MemoryRunTracker implements RunTracker {

    private final boolean record;
    private final String runId = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, List<MetricPoint>> metrics = new LinkedHashMap<>();
    private Path dir;
    private volatile boolean failed;

    MemoryRunTracker(boolean record) {
        this.record = record;
    }

    @Override
    public String runId() {
        return runId;
    }

    /** Created lazily, on first use, as a temporary directory. */
    @Override
    public synchronized Path runDir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("bert4j-run-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    @Override
    public synchronized Path artifactDir() {
        Path a = runDir().resolve("artifacts");
        try {
            return Files.createDirectories(a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void logParam(String key, Object value) {
        if (record) {
            String v = String.valueOf(value);
            String old = params.putIfAbsent(key, v);
            if (old != null && !old.equals(v)) {
                throw new IllegalArgumentException("param " + key + " already logged with value " + old + ", cannot change to " + v);
            }
        }
    }

    @Override
    public synchronized void logMetric(String key, double value, long step) {
        if (record) {
            metrics.computeIfAbsent(key, k -> new ArrayList<>()).add(new MetricPoint(step, System.currentTimeMillis(), value));
        }
    }

    @Override
    public synchronized void setTag(String key, String value) {
        if (record) {
            tags.put(key, value);
        }
    }

    @Override
    public void logArtifact(Path file) {
        // nothing kept
    }

    @Override
    public synchronized List<MetricPoint> metricHistory(String key) {
        return List.copyOf(metrics.getOrDefault(key, List.of()));
    }

    @Override
    public synchronized Map<String, String> params() {
        return Map.copyOf(params);
    }

    /** Tags set so far. */
    synchronized Map<String, String> tags() {
        return Map.copyOf(tags);
    }

    boolean failed() {
        return failed;
    }

    @Override
    public void fail(Throwable error) {
        failed = true;
        setTag("error", String.valueOf(error));
    }

    @Override
    public void close() {
        // nothing to flush
    }

    @Override
    public String toString() {
        return record ? "RunTracker.inMemory()" : "RunTracker.noop()";
    }
}
