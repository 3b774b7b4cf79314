package io.github.bert4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Lines processed in the batches a single-machine loop over them would make: consecutive groups
 * of {@code batchSize} from the start of the input (the last one shorter), each group whole in one
 * partition and the partitions in input order. A per-batch function whose result depends on the
 * batch's composition (padding to the longest line, for instance) then gives exactly the
 * single-machine results, and the output, concatenated in partition order, is in input order.
 */
final class LineBatches {

    /** What a task does with one batch: one result per line, in order. */
    interface BatchFunction<R> extends Serializable {
        List<R> apply(List<String> batch);
    }

    private LineBatches() {
    }

    /** {@code f} applied batch by batch to {@code lines}, spread over {@code partitions} partitions of whole batches. */
    static <R> JavaRDD<R> map(JavaRDD<String> lines, int batchSize, int partitions, BatchFunction<R> f) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        long batches = (lines.count() + batchSize - 1) / batchSize;
        JavaRDD<String> ordered = lines.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .repartitionAndSortWithinPartitions(new WholeBatches(Math.max(1, partitions), Math.max(1, batches), batchSize))
                .values();
        return ordered.mapPartitions(it -> new Batched<>(it, batchSize, f));
    }

    /** A partition's lines, {@code batchSize} at a time through {@code f}. */
    private static final class Batched<R> implements Iterator<R> {
        private final Iterator<String> in;
        private final int batchSize;
        private final BatchFunction<R> f;
        private Iterator<R> current = Collections.emptyIterator();

        Batched(Iterator<String> in, int batchSize, BatchFunction<R> f) {
            this.in = in;
            this.batchSize = batchSize;
            this.f = f;
        }

        @Override
        public boolean hasNext() {
            if (!current.hasNext() && in.hasNext()) {
                List<String> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && in.hasNext()) {
                    batch.add(in.next());
                }
                List<R> out = f.apply(batch);
                if (out.size() != batch.size()) {
                    throw new IllegalStateException(out.size() + " results for a batch of " + batch.size());
                }
                current = out.iterator();
            }
            return current.hasNext();
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }

    /** Line {@code i} goes to partition {@code (i / batchSize) * n / batches}: consecutive whole batches. */
    static final class WholeBatches extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int n;
        private final long batches;
        private final int batchSize;

        WholeBatches(int n, long batches, int batchSize) {
            this.n = n;
            this.batches = batches;
            this.batchSize = batchSize;
        }

        @Override
        public int numPartitions() {
            return n;
        }

        @Override
        public int getPartition(Object key) {
            long b = (Long) key / batchSize;
            return (int) Math.min(n - 1, b * n / batches);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WholeBatches w && w.n == n && w.batches == batches && w.batchSize == batchSize;
        }

        @Override
        public int hashCode() {
            return (n * 31 + Long.hashCode(batches)) * 31 + batchSize;
        }
    }
}
