package io.github.bert4j.spark;

import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tokenizer sent to executors as its {@code tokenizer.json} bytes (inside a broadcast or a task)
 * and loaded once per executor JVM ({@link Tokenizer} is thread-safe, so all tasks share it).
 */
final class ShippedTokenizer implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private final byte[] json;
    private final String key;

    private ShippedTokenizer(byte[] json) {
        this.json = json;
        this.key = sha256(json);
    }

    /** Packs {@code tokenizer} (written to a temporary directory and read back as bytes). */
    static ShippedTokenizer of(Tokenizer tokenizer) {
        try {
            Path dir = Files.createTempDirectory("bert4j-tokenizer-");
            try {
                tokenizer.save(dir);
                return new ShippedTokenizer(Files.readAllBytes(dir.resolve("tokenizer.json")));
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer, loaded on first use in this JVM. */
    Tokenizer get() {
        return LOADED.computeIfAbsent(key, k -> {
            try {
                Path f = Files.createTempFile("bert4j-tokenizer-", ".json");
                try {
                    Files.write(f, json);
                    return Tokenizer.load(f);
                } finally {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
