package io.github.bert4j.spark;

import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * WordPiece word counts on Spark: every partition counts the words of its documents with the
 * tokenizer module's counter (the same normalizer, pre-tokenizer and Nori morphemes as {@link
 * WordPieceTrainer#countWords}), and the counts are summed by word across partitions. Sums do not
 * depend on how documents are partitioned, so {@link WordPieceTrainer#learn} on the result gives
 * the vocabulary the single-machine trainer gives for the same sentences.
 */
public final class SparkVocabulary {

    private SparkVocabulary() {
    }

    /**
     * Word (and {@code ##}continuation) counts of every sentence of {@code docs}.
     *
     * @param morphemes as the tokenizer section's {@code morphemes}
     */
    public static Map<String, Long> countWords(JavaRDD<IndexedDocument> docs, MorphemeMode morphemes) {
        java.util.Objects.requireNonNull(morphemes, "morphemes");
        Map<String, Long> out = new HashMap<>(docs.mapPartitionsToPair(it -> {
            WordPieceTrainer counter = WordPieceTrainer.builder().morphemes(morphemes).threads(1).build();
            Map<String, Long> local = counter.countWords(() -> new Sentences(it));
            List<Tuple2<String, Long>> pairs = new ArrayList<>(local.size());
            local.forEach((k, v) -> pairs.add(new Tuple2<>(k, v)));
            return pairs.iterator();
        }).reduceByKey(Long::sum).collectAsMap());
        return out;
    }

    /** The sentences of a partition's documents. */
    private static final class Sentences implements Iterator<String> {
        private final Iterator<IndexedDocument> docs;
        private Iterator<String> current = Collections.emptyIterator();

        Sentences(Iterator<IndexedDocument> docs) {
            this.docs = docs;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!docs.hasNext()) {
                    return false;
                }
                current = List.of(docs.next().sentences()).iterator();
            }
            return true;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
