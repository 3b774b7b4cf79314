package io.github.bert4j.spark;

import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.bert.pretraining.shards.ShardInfo;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.pretraining.shards.ShardWriter;
import io.github.bert4j.bert.pretraining.shards.Sharding;
import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * Token shards on Spark, in the bert module's format ({@link ShardWriter}, {@link ShardSet}
 * manifest) and with the single-machine cut: shard {@code k} holds documents {@code
 * k*docsPerShard ..} of the corpus, in order, so the files equal what {@link Sharding} writes for
 * the same documents and {@code Pretrainer} reads them unchanged. Each task writes the shards it
 * owns (one or more per partition, atomically) into a directory every executor and the driver see.
 */
public final class SparkSharding {

    private static final System.Logger LOG = System.getLogger(SparkSharding.class.getName());

    private SparkSharding() {
    }

    /**
     * Tokenizes {@code docs} (numbered 0..n-1, see {@link SparkCorpus#number}) into {@code outDir};
     * shards and manifest already there are replaced, the manifest is written last.
     *
     * @param partitions tasks that tokenize and write
     */
    public static ShardSet tokenize(JavaRDD<IndexedDocument> docs, Tokenizer tokenizer, Path outDir, int docsPerShard,
                                    String source, int partitions) {
        if (docsPerShard < 1 || partitions < 1) {
            throw new IllegalArgumentException("docsPerShard and partitions must be >= 1, got " + docsPerShard + ", " + partitions);
        }
        Tokenizer tok = tokenizer.withoutTruncation();
        int vocabSize = tok.vocab().size();
        Path dir = outDir.toAbsolutePath();
        try {
            Sharding.clear(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the shard directory " + dir, e);
        }
        Broadcast<ShippedTokenizer> shipped = JavaSparkContexts.of(docs).broadcast(ShippedTokenizer.of(tok));
        String dirName = dir.toString();
        List<Written> written = docs.keyBy(d -> d.index() / docsPerShard)
                .groupByKey(new HashPartitioner(partitions))
                .map(group -> {
                    List<IndexedDocument> list = new ArrayList<>();
                    group._2().forEach(list::add);
                    list.sort(Comparator.comparingLong(IndexedDocument::index));
                    Tokenizer t = shipped.value().get().withoutTruncation();
                    List<TokenizedDocument> tokenized = new ArrayList<>(list.size());
                    for (IndexedDocument d : list) {
                        TokenizedDocument td = Sharding.tokenize(d.toDocument(), t);
                        if (td != null) {
                            tokenized.add(td);
                        }
                    }
                    Path file = Path.of(dirName).resolve(String.format("shard-%05d.bin", group._1()));
                    ShardInfo info = ShardWriter.write(file, vocabSize, tokenized);
                    if (info.documents() == 0) {
                        Files.deleteIfExists(file);
                    }
                    return new Written(group._1(), info.file(), info.documents(), info.sentences(), info.tokens());
                })
                .collect();
        shipped.destroy();
        List<ShardInfo> infos = written.stream().sorted(Comparator.comparingLong(Written::shard))
                .map(w -> new ShardInfo(w.file(), w.documents(), w.sentences(), w.tokens())).filter(i -> i.documents() > 0).toList();
        ShardSet set = new ShardSet(dir, vocabSize, Sharding.fingerprint(tok.vocab()), source, infos);
        try {
            set.save();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.log(System.Logger.Level.INFO, "tokenized {0} documents, {1} sentences, {2} tokens into {3} shards in {4} on Spark",
                set.documents(), set.sentences(), set.tokens(), infos.size(), dir);
        return set;
    }

    /** A written shard's manifest entry, as a task returns it. */
    private record Written(long shard, String file, int documents, int sentences, long tokens) implements java.io.Serializable {}
}
