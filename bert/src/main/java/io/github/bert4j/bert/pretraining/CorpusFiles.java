package io.github.bert4j.bert.pretraining;

import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.core.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands the file lists of a {@link DataConfig} (plain files, directories, {@code *} globs in the file name). */
public final class CorpusFiles {

    private CorpusFiles() {
    }

    /**
     * The files of {@code patterns}, each pattern expanded in order (glob matches sorted by name).
     *
     * @param key the config key, for error messages ({@code data.corpus})
     */
    public static List<Path> expand(List<String> patterns, String key) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            Path path = Path.of(p);
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            if (name.contains("*") || name.contains("?") || name.contains("[")) {
                Path parent = path.toAbsolutePath().getParent();
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
                List<Path> matches;
                try (Stream<Path> s = Files.list(parent)) {
                    matches = s.filter(f -> Files.isRegularFile(f) && m.matches(f.getFileName())).sorted().toList();
                } catch (IOException e) {
                    throw ConfigException.invalid(key + "[" + i + "]", "a readable directory pattern", p);
                }
                if (matches.isEmpty()) {
                    throw ConfigException.invalid(key + "[" + i + "]", "a pattern matching at least one file", p);
                }
                out.addAll(matches);
            } else {
                if (!Files.exists(path)) {
                    throw ConfigException.invalid(key + "[" + i + "]", "an existing file or directory", p);
                }
                try {
                    out.addAll(Corpora.expand(List.of(path)));
                } catch (UncheckedIOException e) {
                    throw ConfigException.invalid(key + "[" + i + "]", "a readable file or directory", p);
                }
            }
        }
        return out;
    }

    /** What identifies the text of {@code files}: paths, sizes and modification times. */
    static String describe(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            try {
                sb.append(f.toAbsolutePath()).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    static SentenceSplitter splitter(String name) {
        return switch (name) {
            case "lines" -> SentenceSplitter.lines();
            case "none" -> SentenceSplitter.none();
            default -> SentenceSplitter.korean();
        };
    }
}
