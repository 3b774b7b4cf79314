package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.bert.pretraining.PretrainingData;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.pretraining.data.SpecialTokens;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark prepare} with 1 and with 3 partitions gives the single-machine pretraining data:
 * the same Nori-morpheme WordPiece vocabulary (bit-identical tokenizer files), the same shard files
 * and manifests for the train, valid and extra-MLM sides, hence the same instances for a seed; and
 * {@link Pretrainer} reuses what Spark prepared instead of making it again.
 */
class SparkPrepareTest {

    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTests.start("SparkPrepareTest");
        sc = SparkTests.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @TempDir
    static Path tmp;

    static PretrainConfig config(Path dir) throws IOException {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        // two corpus files (reading is one task per file) and extra MLM-only text
        List<String> petitions = Files.readAllLines(TestData.firstPetitions(), StandardCharsets.UTF_8);
        Files.write(corpus.resolve("a.jsonl"), petitions.subList(0, 80), StandardCharsets.UTF_8);
        Files.write(corpus.resolve("b.jsonl"), petitions.subList(80, 150), StandardCharsets.UTF_8);
        List<String> klue = Files.readAllLines(TestData.klueRawSentences(), StandardCharsets.UTF_8);
        Path extra = dir.resolve("extra.tsv");
        Files.write(extra, klue.subList(0, 120), StandardCharsets.UTF_8);
        String yaml = """
                preset: tiny
                mlruns: %s
                data:
                  corpus: [%s]
                  format: jsonl:content
                  splitter: korean
                  valid_fraction: 0.1
                  split_seed: 42
                  docs_per_shard: 16
                  max_len: 32
                  extra_mlm: [%s]
                  extra_mlm_format: tsv:1
                tokenizer:
                  vocab_size: 400
                  min_frequency: 2
                  morphemes: nori
                train:
                  max_steps: 1
                  batch_size: 4
                  warmup_steps: 0
                  eval_every: 0
                  seed: 5
                """.formatted(dir.resolve("mlruns"), corpus.resolve("*.jsonl"), extra);
        Path file = dir.resolve("pretrain.yaml");
        Files.writeString(file, yaml);
        return PretrainConfig.load(file);
    }

    @Test
    void oneAndThreePartitionsGiveTheSingleMachineVocabularyShardsAndInstancesAndPretrainerReusesThem() throws IOException {
        PretrainConfig cfg = config(tmp);
        Path single = tmp.resolve("single");
        Pretrainer.run(cfg, single, false); // the single-machine path (tokenizer, shards, one tiny step)
        for (int partitions : new int[] {1, 3}) {
            Path out = tmp.resolve("spark-" + partitions);
            SparkPrepare.Prepared p = SparkPrepare.run(sc, cfg, out, partitions);
            assertThat(p.train().shards()).as("several shards").hasSizeGreaterThan(3);
            for (String f : List.of("tokenizer.json", "vocab.txt", "bert4j-trained-on.txt")) {
                assertThat(Files.readAllBytes(out.resolve("tokenizer").resolve(f))).as(partitions + " partitions: " + f)
                        .isEqualTo(Files.readAllBytes(single.resolve("tokenizer").resolve(f)));
            }
            for (String side : List.of("train", "valid", "extra")) {
                assertThat(files(out.resolve("shards").resolve(side))).as(partitions + " partitions: " + side)
                        .isEqualTo(files(single.resolve("shards").resolve(side)));
            }
            assertThat(firstEpoch(out, cfg)).isEqualTo(firstEpoch(single, cfg));
        }
        assertPretrainerReuses(cfg, tmp.resolve("spark-3"));
    }

    /** {@link Pretrainer} on Spark's output trains without rewriting its tokenizer or shards. */
    static void assertPretrainerReuses(PretrainConfig cfg, Path out) throws IOException {
        Map<Path, FileTime> before = times(out);
        // back-date what Spark wrote, so that a rewrite would show as a newer time
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (Path f : before.keySet()) {
            Files.setLastModifiedTime(f, old);
        }
        Pretrainer.run(cfg, out, false);
        Map<Path, FileTime> after = times(out);
        before.keySet().forEach(f -> assertThat(after.get(f)).as(f.toString()).isEqualTo(old));
        assertThat(Files.isRegularFile(out.resolve("model").resolve("model.safetensors"))).isTrue();
    }

    /** Tokenizer and shard files under {@code out}, with their modification times. */
    static Map<Path, FileTime> times(Path out) throws IOException {
        Map<Path, FileTime> m = new LinkedHashMap<>();
        try (Stream<Path> s = Stream.concat(Files.walk(out.resolve("tokenizer")), Files.walk(out.resolve("shards")))) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                m.put(f, Files.getLastModifiedTime(f));
            }
        }
        assertThat(m).hasSizeGreaterThan(5);
        return m;
    }

    /** File name → content (as a string of bytes, for readable diffs of the manifest). */
    static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s.sorted()::iterator) {
                byte[] b = Files.readAllBytes(f);
                String name = f.getFileName().toString();
                m.put(name, name.equals(ShardSet.MANIFEST) ? new String(b, StandardCharsets.UTF_8)
                        : java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b)));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        assertThat(m).containsKey(ShardSet.MANIFEST);
        return m;
    }

    /** The first epoch's masked training batches (input ids, MLM labels, NSP labels) for the config's seed. */
    static String firstEpoch(Path out, PretrainConfig cfg) throws IOException {
        Tokenizer tok = Tokenizer.load(out.resolve("tokenizer"));
        ShardSet train = ShardSet.load(out.resolve("shards").resolve("train")).orElseThrow();
        ShardSet extra = ShardSet.load(out.resolve("shards").resolve("extra")).orElseThrow();
        long seed = cfg.train().seed();
        PretrainingData data = new PretrainingData(train, extra, SpecialTokens.of(tok.vocab()),
                cfg.data().options(cfg.train().batchSize()), seed);
        StringBuilder sb = new StringBuilder();
        for (Iterator<PretrainingBatch> it = data.epoch(0, seed); it.hasNext(); ) {
            PretrainingBatch b = it.next();
            sb.append(b.inputIds()).append(b.mlmLabels()).append(b.nspLabels()).append('\n');
        }
        assertThat(sb.length()).isGreaterThan(100);
        return sb.toString();
    }
}
