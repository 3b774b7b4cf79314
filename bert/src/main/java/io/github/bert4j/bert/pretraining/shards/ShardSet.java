package io.github.bert4j.bert.pretraining.shards;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.bert4j.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A directory of token shards and its manifest ({@value #MANIFEST}): which files, how many
 * documents, sentences and tokens each holds, the vocabulary size and a fingerprint of the
 * tokenizer and of the source corpus they were made from (so stale shards are detected and
 * rebuilt rather than silently reused).
 *
 * @param dir the shard directory (not stored in the manifest)
 * @param vocabSize the vocabulary size of the tokenizer
 * @param tokenizer fingerprint of the tokenizer's vocabulary ({@link Sharding#fingerprint})
 * @param source free-form description of the source (files, sizes, format)
 * @param shards the shard files in order
 */
public record ShardSet(Path dir, int vocabSize, String tokenizer, String source, List<ShardInfo> shards) {

    /** The manifest's file name inside the shard directory. */
    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ShardSet {
        shards = List.copyOf(shards);
    }

    public long documents() {
        return shards.stream().mapToLong(ShardInfo::documents).sum();
    }

    public long sentences() {
        return shards.stream().mapToLong(ShardInfo::sentences).sum();
    }

    public long tokens() {
        return shards.stream().mapToLong(ShardInfo::tokens).sum();
    }

    /** The path of shard {@code i}. */
    public Path file(int i) {
        return dir.resolve(shards.get(i).file());
    }

    /** Reads shard {@code i}, checking it against the manifest. */
    public Shard read(int i) {
        Path f = file(i);
        try {
            Shard s = ShardReader.read(f);
            ShardInfo info = shards.get(i);
            if (s.documents().size() != info.documents() || s.vocabSize() != vocabSize) {
                throw new ShardFormatException(f, 0, "holds " + s.documents().size() + " documents over a vocabulary of "
                        + s.vocabSize() + ", the manifest " + dir.resolve(MANIFEST) + " says " + info.documents()
                        + " over " + vocabSize);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + f, e);
        }
    }

    /** Writes the manifest into {@link #dir()} (atomically). */
    public void save() throws IOException {
        AtomicFiles.writeString(dir.resolve(MANIFEST), JSON.writeValueAsString(new Manifest(vocabSize, tokenizer, source, shards)));
    }

    /** The shard set described by {@code dir/manifest.json}, if there is one. */
    public static Optional<ShardSet> load(Path dir) throws IOException {
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            return Optional.empty();
        }
        Manifest man = JSON.readValue(m.toFile(), Manifest.class);
        return Optional.of(new ShardSet(dir, man.vocabSize, man.tokenizer, man.source, man.shards));
    }

    private record Manifest(
            @JsonProperty("vocab_size") int vocabSize,
            @JsonProperty("tokenizer") String tokenizer,
            @JsonProperty("source") String source,
            @JsonProperty("shards") List<ShardInfo> shards) {}
}
