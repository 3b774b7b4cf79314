package io.github.bert4j.core.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The on-disk layout of MLflow's file store (what {@code mlflow ui} reads from {@code ./mlruns}):
 * <pre>
 * mlruns/
 *   .trash/                                  (deleted experiments; created, never used by us)
 *   0/meta.yaml                              experiment "Default", created with the store
 *   &lt;experiment_id&gt;/meta.yaml                 artifact_location, creation_time, experiment_id,
 *                                            last_update_time, lifecycle_stage, name
 *   &lt;experiment_id&gt;/&lt;run_id&gt;/meta.yaml        see {@link MlflowRunTracker}
 * </pre>
 * Experiment ids are decimal strings; a new experiment gets the largest existing id + 1
 * (created with an atomic {@code mkdir}, so concurrent creators never share an id). Experiments
 * are found by name by reading every {@code <id>/meta.yaml} with {@code lifecycle_stage: active}.
 * YAML files are written to a temporary file and renamed into place.
 */
final class MlflowFileStore {

    static final String DEFAULT_EXPERIMENT_ID = "0";
    static final String DEFAULT_EXPERIMENT_NAME = "Default";
    static final String META = "meta.yaml";

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private final Path root;

    MlflowFileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(this.root.resolve(DEFAULT_EXPERIMENT_ID))) {
                Files.createDirectories(this.root.resolve(DEFAULT_EXPERIMENT_ID));
                createExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME);
            }
            Files.createDirectories(this.root.resolve(".trash"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialise MLflow store at " + this.root, e);
        }
    }

    Path root() {
        return root;
    }

    /** The id of the active experiment named {@code name}, creating it if needed. */
    synchronized String experimentId(String name) {
        Optional<String> existing = findExperiment(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            String id = Long.toString(maxExperimentId() + 1);
            try {
                Files.createDirectory(root.resolve(id));
            } catch (FileAlreadyExistsException e) {
                continue; // another process took it
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            createExperiment(id, name);
            return id;
        }
        throw new IllegalStateException("cannot allocate an experiment id in " + root);
    }

    /** The id of the active experiment named {@code name}, if any. */
    Optional<String> findExperiment(String name) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> NUMERIC.matcher(d.getFileName().toString()).matches())
                    .filter(d -> Files.isRegularFile(d.resolve(META)))
                    .sorted()
                    .filter(d -> {
                        JsonNode meta = readYaml(d.resolve(META));
                        return meta != null && name.equals(meta.path("name").asText(null))
                                && "active".equals(meta.path("lifecycle_stage").asText("active"));
                    })
                    .map(d -> d.getFileName().toString())
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private long maxExperimentId() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> NUMERIC.matcher(n).matches() && n.length() < 19)
                    .mapToLong(Long::parseLong).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private void createExperiment(String id, String name) {
        long now = System.currentTimeMillis();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("artifact_location", root.resolve(id).toUri().toString().replaceAll("/$", ""));
        meta.put("creation_time", now);
        meta.put("experiment_id", id);
        meta.put("last_update_time", now);
        meta.put("lifecycle_stage", "active");
        meta.put("name", name);
        writeYaml(root.resolve(id).resolve(META), meta);
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            return null; // malformed: MLflow skips it too
        }
    }

    /**
     * Writes a flat mapping as block YAML, keys sorted as PyYAML's {@code safe_dump} does. Values:
     * {@code null}, numbers, booleans, strings (quoted when YAML would read them as something else),
     * and empty lists.
     */
    static void writeYaml(Path file, Map<String, Object> map) {
        StringBuilder sb = new StringBuilder();
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            sb.append(e.getKey()).append(':');
            Object v = e.getValue();
            if (v instanceof java.util.List<?> l && l.isEmpty()) {
                sb.append(" []");
            } else {
                sb.append(' ').append(scalar(v));
            }
            sb.append('\n');
        });
        writeAtomically(file, sb.toString());
    }

    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./:@+\\- ]*");
    private static final Pattern YAML_SPECIAL = Pattern.compile(
            "(?i)(y|yes|n|no|true|false|on|off|null|~|\\.nan|\\.inf|-\\.inf)");

    static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        String s = v.toString();
        if (!s.isEmpty() && PLAIN_SAFE.matcher(s).matches() && !YAML_SPECIAL.matcher(s).matches()
                && !s.endsWith(" ") && !s.contains(": ") && !s.contains(" #")) {
            return s;
        }
        return "'" + s.replace("'", "''") + "'";
    }

    static void writeAtomically(Path file, String text) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
