package io.github.bert4j.core.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link RunTracker} writing MLflow's file-store layout, so {@code mlflow ui} (run in the folder
 * that holds {@code mlruns/}) shows the run live and after it ended:
 * <pre>
 * mlruns/&lt;experiment_id&gt;/&lt;run_id&gt;/
 *   meta.yaml        artifact_uri, deleted_time, end_time, entry_point_name, experiment_id,
 *                    lifecycle_stage, run_id, run_name, run_uuid, source_name, source_type (4 = LOCAL),
 *                    source_version, start_time, status, tags: [], user_id
 *                    status: 1 RUNNING, 3 FINISHED, 4 FAILED, 5 KILLED (JVM exit before close, or
 *                    found RUNNING by a later start while its process, tags bert4j.pid/.process_start/.host, is gone);
 *                    times in ms since the epoch, end_time null while running
 *   params/&lt;key&gt;     the value, no trailing newline (immutable, as in MLflow)
 *   metrics/&lt;key&gt;    one line per point: "&lt;timestamp_ms&gt; &lt;value&gt; &lt;step&gt;" (values as Python prints
 *                    them: 0.5, 1.0E-5, nan, inf)
 *   tags/&lt;key&gt;       the value, no newline: mlflow.runName, mlflow.user, mlflow.source.name,
 *                    mlflow.source.type (LOCAL) and whatever {@link #setTag} adds
 *   artifacts/       metrics.csv (long format: step,timestamp,key,value, one row per logged point,
 *                    appended as logged) and, at the end, &lt;family&gt;.png per metric family
 * </pre>
 * Keys may contain letters, digits, {@code _ - . /} and spaces (a {@code /} makes a sub-folder, as
 * in MLflow); no {@code ..} segments. All mutating methods are synchronized.
 */
public final class MlflowRunTracker implements RunTracker {

    private static final System.Logger LOG = System.getLogger(MlflowRunTracker.class.getName());
    private static final Pattern KEY = Pattern.compile("[\\w\\-. /]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    /** Tags that tell whether the process of a RUNNING run still lives. */
    static final String TAG_PID = "bert4j.pid";
    static final String TAG_PROCESS_START = "bert4j.process_start";
    static final String TAG_HOST = "bert4j.host";
    /** Prefix of the tags that record a param's new value when a resumed run logs it differently. */
    static final String CHANGED_ON_RESUME = "bert4j.changed_on_resume.";

    /** MLflow's RunStatus values as stored in meta.yaml. */
    static final int RUNNING = 1;
    static final int FINISHED = 3;
    static final int FAILED = 4;
    static final int KILLED = 5;

    private final MlflowFileStore store;
    private final String experimentId;
    private final String runId;
    private final String runName;
    private final Path runDir;
    private final Path artifactDir;
    private final Clock clock;
    private final long startTime;
    private final String user;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, List<MetricPoint>> metrics = new LinkedHashMap<>();
    private final CSVPrinter csv;
    private final Thread shutdownHook;
    private final boolean continued;
    private int status = RUNNING;
    private boolean ended;

    /**
     * A new run ({@code continueRunId} null), or run {@code continueRunId} continued: its params
     * are kept, metric points after {@code afterStep} dropped, its status set back to RUNNING.
     */
    private MlflowRunTracker(MlflowFileStore store, String experimentId, String runName, Clock clock,
            String continueRunId, long afterStep) {
        this.store = store;
        this.experimentId = experimentId;
        this.clock = clock;
        this.runId = continueRunId != null ? continueRunId : UUID.randomUUID().toString().replace("-", "");
        this.continued = continueRunId != null;
        this.runDir = store.root().resolve(experimentId).resolve(runId);
        this.artifactDir = runDir.resolve("artifacts");
        this.user = System.getProperty("user.name", "unknown");
        JsonNode meta = continueRunId != null ? MlflowFileStore.readYaml(runDir.resolve(MlflowFileStore.META)) : null;
        this.startTime = meta != null && meta.path("start_time").canConvertToLong() ? meta.path("start_time").asLong()
                : clock.millis();
        String name = runName;
        if ((name == null || name.isBlank()) && meta != null) name = meta.path("run_name").asText(null);
        this.runName = name == null || name.isBlank() ? "run-" + runId.substring(0, 8) : name;
        try {
            Files.createDirectories(runDir.resolve("metrics"));
            Files.createDirectories(runDir.resolve("params"));
            Files.createDirectories(runDir.resolve("tags"));
            Files.createDirectories(artifactDir);
            List<String[]> csvRows = continueRunId != null ? reopen(afterStep) : List.of();
            writeMeta(null);
            Writer w = Files.newBufferedWriter(artifactDir.resolve("metrics.csv"), StandardCharsets.UTF_8);
            this.csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("step", "timestamp", "key", "value").build());
            for (String[] row : csvRows) csv.printRecord((Object[]) row);
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + runDir, e);
        }
        setTag("mlflow.runName", this.runName);
        setTag("mlflow.user", user);
        setTag("mlflow.source.name", sourceName());
        setTag("mlflow.source.type", "LOCAL");
        ProcessHandle self = ProcessHandle.current();
        setTag(TAG_PID, Long.toString(self.pid()));
        setTag(TAG_PROCESS_START, String.valueOf(self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L)));
        setTag(TAG_HOST, hostName());
        this.shutdownHook = new Thread(this::killed, "bert4j-run-" + runId.substring(0, 8));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a run; see {@link RunTracker#create(Path, String, String)}. */
    public static MlflowRunTracker start(Path mlrunsDir, String experimentName, String runName) {
        return start(mlrunsDir, experimentName, runName, Clock.systemUTC());
    }

    /** As {@link #start(Path, String, String)} with an explicit clock (for tests). */
    public static MlflowRunTracker start(Path mlrunsDir, String experimentName, String runName, Clock clock) {
        return open(mlrunsDir, experimentName, runName, clock, null, -1);
    }

    /** Continues a run; see {@link RunTracker#resume(Path, String, String, String, long)}. */
    public static MlflowRunTracker resume(Path mlrunsDir, String experimentName, String runName, String runId,
            long afterStep) {
        return open(mlrunsDir, experimentName, runName, Clock.systemUTC(), Objects.requireNonNull(runId, "runId"), afterStep);
    }

    private static MlflowRunTracker open(Path mlrunsDir, String experimentName, String runName, Clock clock,
            String runId, long afterStep) {
        Objects.requireNonNull(mlrunsDir, "mlrunsDir");
        MlflowFileStore store = new MlflowFileStore(mlrunsDir);
        String name = experimentName == null || experimentName.isBlank() ? MlflowFileStore.DEFAULT_EXPERIMENT_NAME : experimentName;
        String experimentId = store.experimentId(name);
        markKilledRuns(store.root().resolve(experimentId), clock);
        if (runId != null && (!RUN_ID.matcher(runId).matches()
                || !Files.isRegularFile(store.root().resolve(experimentId).resolve(runId).resolve(MlflowFileStore.META)))) {
            LOG.log(System.Logger.Level.WARNING, "run {0} is not in experiment {1} of {2}: starting a new run", runId, name,
                    store.root());
            runId = null;
        }
        return new MlflowRunTracker(store, experimentId, runName, clock, runId, afterStep);
    }

    /**
     * Marks KILLED the runs of an experiment that are RUNNING but whose process (tags {@code
     * bert4j.pid}, {@code bert4j.process_start}, {@code bert4j.host}: this machine) is gone, as a
     * {@code kill -9} leaves them. Runs without these tags (other tools, older versions) are left alone.
     *
     * @return how many runs were marked
     */
    static int markKilledRuns(Path experimentDir, Clock clock) {
        int marked = 0;
        String host = hostName();
        try (Stream<Path> runs = Files.list(experimentDir)) {
            for (Path run : (Iterable<Path>) runs::iterator) {
                Path metaFile = run.resolve(MlflowFileStore.META);
                if (!RUN_ID.matcher(run.getFileName().toString()).matches() || !Files.isRegularFile(metaFile)) continue;
                JsonNode meta = MlflowFileStore.readYaml(metaFile);
                if (meta == null || meta.path("status").asInt() != RUNNING) continue;
                String pid = readTag(run, TAG_PID);
                String started = readTag(run, TAG_PROCESS_START);
                if (pid == null || started == null || !host.equals(readTag(run, TAG_HOST)) || alive(pid, started)) continue;
                Map<String, Object> updated = new LinkedHashMap<>();
                meta.fields().forEachRemaining(e -> updated.put(e.getKey(), e.getValue().isNull() ? null
                        : e.getValue().isNumber() ? e.getValue().numberValue()
                        : e.getValue().isArray() ? List.of() : e.getValue().asText()));
                updated.put("status", KILLED);
                updated.put("end_time", lastWrite(run, clock));
                MlflowFileStore.writeYaml(metaFile, updated);
                LOG.log(System.Logger.Level.INFO, "run {0}: its process {1} is gone, marked KILLED", run.getFileName(), pid);
                marked++;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot scan " + experimentDir + " for killed runs: " + e);
        }
        return marked;
    }

    private static boolean alive(String pid, String started) {
        try {
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid));
            if (p.isEmpty() || !p.get().isAlive()) return false;
            long start = Long.parseLong(started);
            return start < 0 || p.get().info().startInstant().map(i -> i.toEpochMilli() == start).orElse(true);
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
    }

    /** When the run last wrote a metric (its end as far as anyone can tell), or now. */
    private static long lastWrite(Path run, Clock clock) {
        try (Stream<Path> files = Files.walk(run.resolve("metrics"))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    return 0;
                }
            }).max().orElse(clock.millis());
        } catch (IOException | UncheckedIOException e) {
            return clock.millis();
        }
    }

    private static String readTag(Path run, String key) {
        try {
            Path f = run.resolve("tags").resolve(key);
            return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * Loads the run's params and metric histories for a continuation, drops metric points logged
     * after {@code afterStep} (the resumed training logs them again) and returns the rows of
     * {@code metrics.csv} to keep.
     */
    private List<String[]> reopen(long afterStep) throws IOException {
        Path paramDir = runDir.resolve("params");
        try (Stream<Path> files = Files.walk(paramDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    params.put(paramDir.relativize(f).toString().replace(java.io.File.separatorChar, '/'),
                            Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        Path metricDir = runDir.resolve("metrics");
        List<Path> metricFiles;
        try (Stream<Path> files = Files.walk(metricDir)) {
            metricFiles = files.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : metricFiles) {
            String key = metricDir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            StringBuilder kept = new StringBuilder();
            List<MetricPoint> points = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] t = line.trim().split(" ");
                if (t.length != 3) continue;
                long step = Long.parseLong(t[2]);
                if (step > afterStep) continue;
                points.add(new MetricPoint(step, Long.parseLong(t[0]), parsePythonFloat(t[1])));
                kept.append(line).append('\n');
            }
            MlflowFileStore.writeAtomically(f, kept.toString());
            if (!points.isEmpty()) metrics.put(key, points);
        }
        List<String[]> rows = new ArrayList<>();
        Path csvFile = artifactDir.resolve("metrics.csv");
        if (Files.isRegularFile(csvFile)) {
            try (var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(Files.newBufferedReader(csvFile, StandardCharsets.UTF_8))) {
                for (var r : parser) {
                    if (r.size() == 4 && Long.parseLong(r.get(0)) <= afterStep) rows.add(new String[] {r.get(0), r.get(1), r.get(2), r.get(3)});
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read " + csvFile + " (" + e + "); it restarts empty");
            }
        }
        LOG.log(System.Logger.Level.INFO, "continuing run {0} after step {1}", runId, afterStep);
        return rows;
    }

    private static double parsePythonFloat(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** The experiment's id (a decimal string; "0" is Default). */
    public String experimentId() {
        return experimentId;
    }

    /** The run's name (tag {@code mlflow.runName}). */
    public String runName() {
        return runName;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public Path artifactDir() {
        return artifactDir;
    }

    @Override
    public synchronized void logParam(String key, Object value) {
        checkKey("param", key);
        String v = String.valueOf(value);
        String old = params.get(key);
        if (old != null) {
            if (!old.equals(v) && continued) {
                // a resumed run with a changed setting (e.g. more max_steps): the param keeps its first value
                LOG.log(System.Logger.Level.WARNING, "run {0} resumed with param {1} = {2} (was {3}); kept as tag {4}",
                        runId, key, v, old, CHANGED_ON_RESUME + key);
                setTag(CHANGED_ON_RESUME + key, v);
                return;
            }
            if (!old.equals(v)) {
                throw new IllegalArgumentException("param " + key + " was already logged with value '" + old
                        + "'; MLflow params cannot change (new value '" + v + "')");
            }
            return;
        }
        write(runDir.resolve("params").resolve(key), v);
        params.put(key, v);
    }

    @Override
    public synchronized void logMetric(String key, double value, long step) {
        checkKey("metric", key);
        long ts = clock.millis();
        Path file = runDir.resolve("metrics").resolve(key);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, ts + " " + pythonFloat(value) + " " + step + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metric " + file, e);
        }
        metrics.computeIfAbsent(key, k -> new ArrayList<>()).add(new MetricPoint(step, ts, value));
        if (!ended) {
            try {
                csv.printRecord(step, ts, key, pythonFloat(value));
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to metrics.csv", e);
            }
        }
    }

    @Override
    public synchronized void setTag(String key, String value) {
        checkKey("tag", key);
        write(runDir.resolve("tags").resolve(key), value == null ? "" : value);
    }

    @Override
    public synchronized void logArtifact(Path file) {
        Path target = artifactDir.resolve(file.getFileName().toString());
        try {
            if (Files.isDirectory(file)) {
                Files.walkFileTree(file, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        Files.createDirectories(target.resolve(file.relativize(dir).toString()));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                        Files.copy(f, target.resolve(file.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy artifact " + file, e);
        }
    }

    @Override
    public synchronized List<MetricPoint> metricHistory(String key) {
        return List.copyOf(metrics.getOrDefault(key, List.of()));
    }

    /** Every metric's history, keys in first-logged order. */
    public synchronized Map<String, List<MetricPoint>> metrics() {
        Map<String, List<MetricPoint>> copy = new LinkedHashMap<>();
        metrics.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    @Override
    public synchronized Map<String, String> params() {
        return Map.copyOf(params);
    }

    @Override
    public synchronized void fail(Throwable error) {
        if (ended) {
            return;
        }
        String msg = String.valueOf(error);
        setTag("error", msg.length() > 5000 ? msg.substring(0, 5000) : msg);
        end(FAILED);
    }

    @Override
    public synchronized void close() {
        end(FINISHED);
    }

    private void killed() {
        synchronized (this) {
            if (!ended) {
                ended = true;
                status = KILLED;
                writeMeta(clock.millis());
            }
        }
    }

    private void end(int finalStatus) {
        if (ended) {
            return;
        }
        ended = true;
        status = finalStatus;
        try {
            csv.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close metrics.csv of run " + runId, e);
        }
        try {
            MetricPlots.write(metrics, artifactDir);
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            LOG.log(System.Logger.Level.WARNING, "cannot draw metric plots of run " + runId + ": " + e, e);
        }
        writeMeta(clock.millis());
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM already shutting down
        }
    }

    /** Current status code as stored in meta.yaml (1 RUNNING, 3 FINISHED, 4 FAILED, 5 KILLED). */
    public synchronized int status() {
        return status;
    }

    private void writeMeta(Long endTime) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("artifact_uri", artifactDir.toUri().toString().replaceAll("/$", ""));
        meta.put("deleted_time", null);
        meta.put("end_time", endTime);
        meta.put("entry_point_name", "");
        meta.put("experiment_id", experimentId);
        meta.put("lifecycle_stage", "active");
        meta.put("run_id", runId);
        meta.put("run_name", runName);
        meta.put("run_uuid", runId);
        meta.put("source_name", "");
        meta.put("source_type", 4);
        meta.put("source_version", "");
        meta.put("start_time", startTime);
        meta.put("status", status);
        meta.put("tags", List.of());
        meta.put("user_id", user);
        MlflowFileStore.writeYaml(runDir.resolve(MlflowFileStore.META), meta);
    }

    private static void write(Path file, String value) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, value, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void checkKey(String what, String key) {
        if (key == null || key.isEmpty() || !KEY.matcher(key).matches() || key.startsWith("/")
                || (("/" + key + "/").contains("/../")) || ("/" + key + "/").contains("/./")) {
            throw new IllegalArgumentException("invalid " + what + " name '" + key
                    + "': use letters, digits, '_', '-', '.', ' ' and '/' (no '..' segments)");
        }
    }

    /** A double as Python's {@code str(float)} would read back: 0.5, 1.0E-5, nan, inf, -inf. */
    static String pythonFloat(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    private static String sourceName() {
        String cmd = System.getProperty("sun.java.command", "");
        String first = cmd.isBlank() ? "bert4j" : cmd.split(" ")[0];
        return first.toLowerCase(Locale.ROOT).endsWith(".jar") ? Path.of(first).getFileName().toString() : first;
    }

    @Override
    public String toString() {
        return "MlflowRunTracker[" + runDir + "]";
    }
}
