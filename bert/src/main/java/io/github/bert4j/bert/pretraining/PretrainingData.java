package io.github.bert4j.bert.pretraining;

import io.github.bert4j.bert.pretraining.data.Seeds;
import io.github.bert4j.bert.pretraining.data.MaskedInstance;
import io.github.bert4j.bert.pretraining.data.Masking;
import io.github.bert4j.bert.pretraining.data.PretrainingBatches;
import io.github.bert4j.bert.pretraining.data.PretrainingInstance;
import io.github.bert4j.bert.pretraining.data.PretrainingInstances;
import io.github.bert4j.bert.pretraining.data.SpecialTokens;
import io.github.bert4j.bert.pretraining.shards.Shard;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.core.train.BatchSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Pretraining batches streamed from token shards: instances ({@link PretrainingInstances}),
 * masks ({@link Masking}) and micro-batches ({@link PretrainingBatches}), deterministic in
 * {@code (seed, epoch)}.
 *
 * <p>One epoch:
 * <ol>
 *   <li>The shards (the corpus shards, then any MLM-only shards) are put in an order shuffled by
 *       {@code (seed, epoch)} and cut into groups of {@code shards_per_group}; only one group is in
 *       memory at a time, so the corpus may be larger than memory.
 *   <li>Each shard's instances are built from its own documents with a generator seeded by
 *       {@code (seed, shard, epoch)} if instances are regenerated every epoch, or {@code (seed,
 *       shard)} if they are fixed. NotNext partners are drawn from the same shard.
 *   <li>A group's instances are shuffled together, then each is masked with a generator seeded by
 *       {@code (seed, shard, instance index in its shard)} plus the epoch under dynamic masking;
 *       masks therefore do not depend on the shuffle or on the group.
 *   <li>Consecutive instances form micro-batches of {@code micro_batch_size}, padded to their
 *       longest sequence (or to {@code max_len}).
 * </ol>
 *
 * <p>Every epoch has exactly {@link #instancesPerEpoch()} instances: the number epoch 0 has under
 * the construction seed. When instances are regenerated a later epoch may have a few more (the
 * surplus at the end of its shuffled order is dropped) or fewer (the epoch's own stream is
 * restarted to fill up), so progress bars, learning-rate schedules and resumption see a fixed
 * epoch length.
 */
public final class PretrainingData implements BatchSource<PretrainingBatch> {

    private final List<ShardSource> shards;
    private final PretrainingInstances builder;
    private final Masking masking;
    private final SpecialTokens special;
    private final DataOptions options;
    private final long seed;
    private final long instancesPerEpoch;

    private record ShardSource(ShardSet set, int index, boolean mlmOnly) {}

    /**
     * @param corpus shards of documents (NSP pairs and MLM)
     * @param mlmOnly shards of extra text used for MLM only (may be null)
     * @param seed the seed under which the epoch length ({@link #instancesPerEpoch()}) is computed;
     *     pass the same seed to {@link #epoch(int, long)}
     */
    public PretrainingData(ShardSet corpus, ShardSet mlmOnly, SpecialTokens special, DataOptions options, long seed) {
        this.special = Objects.requireNonNull(special, "special");
        this.options = Objects.requireNonNull(options, "options");
        this.seed = seed;
        List<ShardSource> list = new ArrayList<>();
        for (ShardSet set : mlmOnly == null ? List.of(corpus) : List.of(corpus, mlmOnly)) {
            if (set.vocabSize() != special.vocabSize()) {
                throw new IllegalArgumentException("shards in " + set.dir() + " were made with a vocabulary of "
                        + set.vocabSize() + " tokens, the tokenizer has " + special.vocabSize());
            }
            for (int i = 0; i < set.shards().size(); i++) {
                list.add(new ShardSource(set, i, set == mlmOnly));
            }
        }
        this.shards = List.copyOf(list);
        this.builder = new PretrainingInstances(special, options.maxLen(), options.shortSeqProb(), options.nspProb());
        this.masking = new Masking(special, options.maskRatio(), options.maxPredictions(), options.wholeWordMasking());
        long n = 0;
        for (int s = 0; s < shards.size(); s++) {
            n += instancesOf(s, 0, seed).size();
        }
        if (n == 0) {
            throw new IllegalArgumentException("no pretraining instances: the shards in " + corpus.dir() + " hold no text");
        }
        this.instancesPerEpoch = n;
    }

    public DataOptions options() {
        return options;
    }

    public SpecialTokens special() {
        return special;
    }

    /** Instances (sequences) per epoch, fixed for every epoch. */
    public long instancesPerEpoch() {
        return instancesPerEpoch;
    }

    @Override
    public long batchesPerEpoch() {
        return (instancesPerEpoch + options.microBatchSize() - 1) / options.microBatchSize();
    }

    @Override
    public Iterator<PretrainingBatch> epoch(int epoch, long seed) {
        Iterator<List<MaskedInstance>> it = maskedBatches(epoch, seed);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public PretrainingBatch next() {
                return PretrainingBatches.assemble(it.next(), special.pad(), options.padToMaxLen() ? options.maxLen() : -1);
            }
        };
    }

    /** The micro-batches of an epoch before conversion to arrays (what tests inspect). */
    public Iterator<List<MaskedInstance>> maskedBatches(int epoch, long seed) {
        Iterator<Tagged> inst = instances(epoch, seed);
        int size = options.microBatchSize();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return inst.hasNext();
            }

            @Override
            public List<MaskedInstance> next() {
                if (!inst.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<MaskedInstance> batch = new ArrayList<>(size);
                while (batch.size() < size && inst.hasNext()) {
                    Tagged t = inst.next();
                    long maskEpoch = options.dynamicMasking() ? epoch : 0;
                    batch.add(masking.mask(t.instance, Seeds.random(seed, Seeds.MASKING, maskEpoch, t.shard, t.index)));
                }
                return batch;
            }
        };
    }

    /** An instance with where it came from: its shard (global index) and position in that shard's list. */
    record Tagged(PretrainingInstance instance, int shard, int index) {}

    /** The unmasked instances of an epoch in training order, exactly {@link #instancesPerEpoch()} of them. */
    Iterator<Tagged> instances(int epoch, long seed) {
        return new Iterator<>() {
            long produced;
            Iterator<Tagged> pass = pass(epoch, seed);

            @Override
            public boolean hasNext() {
                return produced < instancesPerEpoch;
            }

            @Override
            public Tagged next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (!pass.hasNext()) {
                    pass = pass(epoch, seed); // a regenerated epoch came out short: start it again
                }
                produced++;
                return pass.next();
            }
        };
    }

    /** One pass over every shard in the epoch's order, group by group. */
    private Iterator<Tagged> pass(int epoch, long seed) {
        int[] order = new int[shards.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Seeds.shuffle(order, Seeds.random(seed, Seeds.SHARD_ORDER, epoch));
        int groupSize = options.shardsPerGroup();
        return new Iterator<>() {
            int nextGroup;
            Iterator<Tagged> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && nextGroup * groupSize < order.length) {
                    current = group(nextGroup++).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Tagged next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }

            private List<Tagged> group(int g) {
                List<Tagged> all = new ArrayList<>();
                for (int k = g * groupSize; k < Math.min(order.length, (g + 1) * groupSize); k++) {
                    int s = order[k];
                    List<PretrainingInstance> list = instancesOf(s, epoch, seed);
                    for (int i = 0; i < list.size(); i++) {
                        all.add(new Tagged(list.get(i), s, i));
                    }
                }
                Seeds.shuffle(all, Seeds.random(seed, Seeds.SHUFFLE, epoch, g));
                return all;
            }
        };
    }

    /** Shard {@code s}'s instances for {@code epoch} (reads the shard). */
    private List<PretrainingInstance> instancesOf(int s, int epoch, long seed) {
        ShardSource src = shards.get(s);
        Shard shard = src.set.read(src.index);
        long e = options.regenerateInstances() ? epoch : 0;
        SplittableRandom rng = Seeds.random(seed, Seeds.INSTANCES, s, e);
        return src.mlmOnly ? builder.mlmOnly(shard.documents(), rng) : builder.create(shard.documents(), rng);
    }
}
