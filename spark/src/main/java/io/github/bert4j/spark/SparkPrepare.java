package io.github.bert4j.spark;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.PretrainingInputs;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.pretraining.shards.Sharding;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.corpus.DocumentSplit;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.Vocabulary;
import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * The data half of a pretraining run on Spark: for a {@link PretrainConfig} and an output
 * directory it trains the WordPiece tokenizer on the train documents (counts on the executors,
 * merges on the driver) and writes the train, valid and extra-MLM token shards, under the names and
 * stamps {@link Pretrainer} uses ({@link PretrainingInputs}). {@link Pretrainer#run} (or {@code
 * bert4j pretrain}) on the same config and output then reuses them as if it had made them itself;
 * the vocabulary and every shard file are the ones it would have made. What is already prepared
 * with the same stamps is reused here too.
 */
public final class SparkPrepare {

    private static final System.Logger LOG = System.getLogger(SparkPrepare.class.getName());

    private SparkPrepare() {
    }

    /** What was prepared; {@code valid} and {@code extra} are null when the config has none. */
    public record Prepared(Tokenizer tokenizer, ShardSet train, ShardSet valid, ShardSet extra) {}

    /**
     * @param output the run's output directory, or null for the config's
     * @param partitions Spark partitions for counting and tokenizing (e.g. the cluster's cores)
     */
    public static Prepared run(JavaSparkContext sc, PretrainConfig cfg, Path output, int partitions) throws IOException {
        Path out = (output != null ? output : Path.of(cfg.output())).toAbsolutePath();
        Files.createDirectories(out);
        PretrainingInputs in = PretrainingInputs.of(cfg, out);
        var data = cfg.data();
        JavaRDD<IndexedDocument> all = SparkCorpus.documents(sc, in.corpus(), data.format(), data.splitter())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            JavaRDD<IndexedDocument> train = SparkCorpus.spread(
                    SparkCorpus.side(all, DocumentSplit.TRAIN, data.validFraction(), data.splitSeed()), partitions)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Tokenizer tokenizer = tokenizer(in, train);
            Path root = in.shardRoot();
            ShardSet trainSet = shards(root.resolve("train"), in.sideSource("train"), train, tokenizer, data.docsPerShard(), partitions);
            train.unpersist();
            ShardSet validSet = null;
            if (data.validFraction() > 0) {
                JavaRDD<IndexedDocument> valid = SparkCorpus.side(all, DocumentSplit.VALID, data.validFraction(), data.splitSeed());
                validSet = shards(root.resolve("valid"), in.sideSource("valid"), valid, tokenizer, data.docsPerShard(), partitions);
            }
            ShardSet extraSet = null;
            if (!in.extraFiles().isEmpty()) {
                JavaRDD<IndexedDocument> extra = SparkCorpus.documents(sc, in.extraFiles(), data.extraMlmFormat(), data.splitter());
                extraSet = shards(root.resolve("extra"), in.extraSource(), extra, tokenizer, data.docsPerShard(), partitions);
            }
            return new Prepared(tokenizer, trainSet, validSet, extraSet);
        } finally {
            all.unpersist();
        }
    }

    /** The configured tokenizer, the one trained before with the same stamp, or one trained now on Spark. */
    private static Tokenizer tokenizer(PretrainingInputs in, JavaRDD<IndexedDocument> train) throws IOException {
        var tc = in.config().tokenizer();
        if (tc.path() != null) {
            Path p = Path.of(tc.path());
            if (!Files.exists(p)) {
                throw ConfigException.invalid("tokenizer.path", "an existing tokenizer.json, vocab.txt or model directory", tc.path());
            }
            return Tokenizer.load(p);
        }
        Path dir = in.tokenizerDir();
        Path stampFile = dir.resolve(PretrainingInputs.TOKENIZER_STAMP);
        String stamp = in.tokenizerStamp();
        if (Files.isRegularFile(dir.resolve("tokenizer.json")) && Files.isRegularFile(stampFile)
                && Files.readString(stampFile).equals(stamp)) {
            LOG.log(System.Logger.Level.INFO, "reusing the tokenizer trained before in {0}", dir);
            return Tokenizer.load(dir);
        }
        WordPieceTrainer trainer = in.tokenizerTrainer(1, false);
        Tokenizer tok = trainer.tokenizerFor(vocabulary(train, trainer, tc.morphemes()));
        tok.save(dir);
        AtomicFiles.writeString(stampFile, stamp);
        LOG.log(System.Logger.Level.INFO, "trained a {0}-token vocabulary on Spark into {1}", tok.vocab().size(), dir);
        return tok;
    }

    /** The vocabulary {@code trainer} learns from the word counts of {@code docs}, counted on Spark. */
    public static Vocabulary vocabulary(JavaRDD<IndexedDocument> docs, WordPieceTrainer trainer, MorphemeMode morphemes) {
        Map<String, Long> counts = SparkVocabulary.countWords(docs, morphemes);
        return trainer.learn(counts);
    }

    private static ShardSet shards(Path dir, String source, JavaRDD<IndexedDocument> docs, Tokenizer tokenizer, int docsPerShard,
                                   int partitions) throws IOException {
        Optional<ShardSet> existing = ShardSet.load(dir);
        if (existing.isPresent() && existing.get().source().equals(source)
                && existing.get().tokenizer().equals(Sharding.fingerprint(tokenizer.vocab()))) {
            LOG.log(System.Logger.Level.INFO, "reusing {0} shards in {1}", existing.get().shards().size(), dir);
            return existing.get();
        }
        return SparkSharding.tokenize(docs, tokenizer, dir, docsPerShard, source, partitions);
    }
}
