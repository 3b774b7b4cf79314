package io.github.bert4j.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the real Korean data vendored in {@code <repo>/examples/data} for tests of every module.
 *
 * <p>The repository root is the system property {@code bert4j.root} (surefire sets it) when that
 * directory contains {@code examples/data}; otherwise the first directory containing
 * {@code examples/data} found walking up from {@code user.dir}. Every accessor checks that the
 * file exists and fails with a message naming the path that is missing.
 */
public final class TestData {

    private static volatile Path root;

    private TestData() {
    }

    /** The repository root (the directory that contains {@code examples/data}). */
    public static Path root() {
        Path r = root;
        if (r == null) {
            r = locateRoot();
            root = r;
        }
        return r;
    }

    /** {@code <root>/examples/data}. */
    public static Path dataDir() {
        return root().resolve("examples").resolve("data");
    }

    /** The five petitions JSON-lines files (field {@code content}), sorted by name; 3,052 documents in all. */
    public static List<Path> petitions() {
        Path dir = existing(dataDir().resolve("petitions"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
            if (list.isEmpty()) {
                throw new IllegalStateException("no *.jsonl files in " + dir);
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One petitions file: {@code petitions_2017-08.jsonl} (662 documents). */
    public static Path firstPetitions() {
        return existing(dataDir().resolve("petitions").resolve("petitions_2017-08.jsonl"));
    }

    /** KLUE NER v1.1 dev subset (4,000 sentences, original character-per-line format). */
    public static Path kluNerDev() {
        return existing(dataDir().resolve("klue-ner").resolve("klue-ner-v1.1_dev_4k.tsv"));
    }

    /** Alias of {@link #kluNerDev()} with the conventional spelling. */
    public static Path klueNerDev() {
        return kluNerDev();
    }

    /** Raw KLUE NER train sentences, {@code <id>\t<sentence>} per line (21,008 lines). */
    public static Path kluRawSentences() {
        return existing(dataDir().resolve("klue-raw-sentences").resolve("klue-ner-v1.1_train_sentences.tsv"));
    }

    /** Alias of {@link #kluRawSentences()} with the conventional spelling. */
    public static Path klueRawSentences() {
        return kluRawSentences();
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException("test data not found: " + p
                    + " (repo root " + root() + "; set -Dbert4j.root=<repo root>)");
        }
        return p;
    }

    private static Path locateRoot() {
        String prop = System.getProperty("bert4j.root");
        if (prop != null && !prop.isBlank()) {
            Path p = Paths.get(prop).toAbsolutePath().normalize();
            if (Files.isDirectory(p.resolve("examples").resolve("data"))) {
                return p;
            }
        }
        Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples").resolve("data"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory containing examples/data) "
                + "from bert4j.root=" + prop + " or user.dir=" + dir);
    }
}
