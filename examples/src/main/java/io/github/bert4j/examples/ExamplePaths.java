package io.github.bert4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the bundled data ({@code <repo>/examples/data}) and configs ({@code <repo>/examples/configs})
 * of a bert4j checkout, so that {@code ./bert4j quickstart} works from the repository root or any
 * directory below it.
 *
 * <p>The repository root is, in order: the system property {@code bert4j.root} (surefire sets
 * it), the environment variable {@code BERT4J_ROOT}, or the first directory at or above the
 * working directory that contains {@code examples/data}.
 */
public final class ExamplePaths {
    /** System property naming the repository root. */
    public static final String ROOT_PROPERTY = "bert4j.root";
    /** Environment variable naming the repository root. */
    public static final String ROOT_ENV = "BERT4J_ROOT";

    private ExamplePaths() {
    }

    /** The repository root (a directory holding {@code examples/data}). */
    public static Path root() {
        String prop = System.getProperty(ROOT_PROPERTY);
        if (prop != null && !prop.isBlank() && isRoot(Path.of(prop))) return Path.of(prop).toAbsolutePath().normalize();
        String env = System.getenv(ROOT_ENV);
        if (env != null && !env.isBlank() && isRoot(Path.of(env))) return Path.of(env).toAbsolutePath().normalize();
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (isRoot(p)) return p;
        }
        throw new IllegalStateException("cannot find the bundled data folder examples/data: run from the bert4j "
                + "repository (or a folder below it), or set -D" + ROOT_PROPERTY + "=<repo> or " + ROOT_ENV
                + "=<repo>; searched upwards from " + start);
    }

    /** {@code <root>/examples/data}. */
    public static Path dataDir() {
        return root().resolve("examples").resolve("data");
    }

    /** {@code <root>/examples/configs}. */
    public static Path configsDir() {
        return root().resolve("examples").resolve("configs");
    }

    /** A bundled data file or folder, e.g. {@code data("klue-ner/klue-ner-v1.1_dev_4k.tsv")}; fails clearly if absent. */
    public static Path data(String relative) {
        Path p = dataDir().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("bundled data not found: " + p + " (is the checkout complete?)");
        }
        return p;
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("examples").resolve("data"));
    }
}
