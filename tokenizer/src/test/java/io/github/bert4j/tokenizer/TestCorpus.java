package io.github.bert4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The vendored Korean data, found through {@code bert4j.root} or by walking up from user.dir. */
public final class TestCorpus {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestCorpus() {
    }

    public static Path root() {
        String p = System.getProperty("bert4j.root");
        if (p != null && Files.isDirectory(Paths.get(p, "examples", "data"))) {
            return Paths.get(p);
        }
        Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("examples/data"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalStateException("cannot find examples/data above " + System.getProperty("user.dir"));
        }
        return d;
    }

    /** The petitions jsonl files, sorted by name. */
    public static List<Path> petitionFiles() {
        try (Stream<Path> s = Files.list(root().resolve("examples/data/petitions"))) {
            return s.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code content} field of every line of {@code files}. */
    public static List<String> petitions(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        JsonNode n = MAPPER.readTree(line);
                        out.add(n.path("content").asText());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
