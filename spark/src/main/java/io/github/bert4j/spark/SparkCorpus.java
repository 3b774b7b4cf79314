package io.github.bert4j.spark;

import io.github.bert4j.bert.pretraining.PretrainingInputs;
import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.Document;
import io.github.bert4j.core.corpus.DocumentSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Corpus files as a Spark RDD of {@link IndexedDocument}s: each file is read by one task with the
 * core readers ({@link Corpora}, so formats, ids, sentence splitting and error messages are the
 * single-machine ones), and every document is numbered by its position in the whole corpus. Files
 * must be readable at the same path on every executor (local mode, or a shared file system on a
 * cluster); reading is parallel over files, so split a huge single file into several.
 */
public final class SparkCorpus {

    private SparkCorpus() {
    }

    /**
     * The documents of {@code files} (in order), numbered 0.. in reading order.
     *
     * @param format a corpus format spec ({@code jsonl:content}, {@code tsv:1}, {@code text})
     * @param splitter {@code korean}, {@code lines} or {@code none}
     */
    public static JavaRDD<IndexedDocument> documents(JavaSparkContext sc, List<Path> files, String format, String splitter) {
        CorpusFormat.parse(format); // a bad spec fails here, on the driver, with the parser's message
        List<String> paths = new ArrayList<>();
        files.forEach(f -> paths.add(f.toAbsolutePath().toString()));
        JavaRDD<IndexedDocument> read = sc.parallelize(paths, Math.max(1, paths.size()))
                .flatMap(p -> new Closing(Corpora.open(Path.of(p), CorpusFormat.parse(format), PretrainingInputs.splitter(splitter))));
        return number(read);
    }

    /** {@code docs} renumbered 0.. in their current order (partition order, then order within a partition). */
    public static JavaRDD<IndexedDocument> number(JavaRDD<IndexedDocument> docs) {
        return docs.zipWithIndex().map(t -> t._1().at(t._2()));
    }

    /** The documents on one side of the train/valid split by document id ({@link DocumentSplit}), renumbered 0... */
    public static JavaRDD<IndexedDocument> side(JavaRDD<IndexedDocument> docs, DocumentSplit side, double validFraction,
                                                long splitSeed) {
        return number(docs.filter(d -> DocumentSplit.byDocument(d.id(), validFraction, splitSeed) == side));
    }

    /**
     * {@code docs} (numbered 0..{@code count-1}) moved into {@code partitions} partitions of
     * consecutive documents, so that work on them spreads over the cluster whatever the files.
     */
    public static JavaRDD<IndexedDocument> spread(JavaRDD<IndexedDocument> docs, int partitions) {
        long count = docs.count();
        return docs.keyBy(IndexedDocument::index).partitionBy(new RangeOfIndex(partitions, count)).values();
    }

    /** Document {@code i} of {@code count} goes to partition {@code i * n / count}. */
    static final class RangeOfIndex extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int n;
        private final long count;

        RangeOfIndex(int n, long count) {
            if (n < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, got " + n);
            }
            this.n = n;
            this.count = Math.max(1, count);
        }

        @Override
        public int numPartitions() {
            return n;
        }

        @Override
        public int getPartition(Object key) {
            long i = (Long) key;
            return (int) Math.min(n - 1, Math.max(0, (long) ((double) i * n / count)));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RangeOfIndex r && r.n == n && r.count == count;
        }

        @Override
        public int hashCode() {
            return n * 31 + Long.hashCode(count);
        }
    }

    /** A file's documents, closing the file once they are exhausted. */
    private static final class Closing implements Iterator<IndexedDocument> {
        private final Stream<Document> stream;
        private final Iterator<Document> it;
        private boolean open = true;

        Closing(Stream<Document> stream) {
            this.stream = stream;
            this.it = stream.iterator();
        }

        @Override
        public boolean hasNext() {
            if (open && !it.hasNext()) {
                stream.close();
                open = false;
            }
            return open;
        }

        @Override
        public IndexedDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return IndexedDocument.of(-1, it.next());
        }
    }
}
