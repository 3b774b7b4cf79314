package io.github.bert4j.bert.pretraining.data;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from a run seed and a path of integers (epoch,
 * purpose, instance index...), so that every random choice of the pretraining data depends only on
 * {@code (seed, path)} and never on the order in which other choices were made. Mixing is
 * SplitMix64's finaliser applied after each component.
 */
public final class Seeds {

    /** Purposes, so that streams for different decisions never coincide. */
    public static final long SHARD_ORDER = 1, INSTANCES = 2, SHUFFLE = 3, MASKING = 4, EXTRA = 5;

    private Seeds() {
    }

    /** A 64-bit hash of {@code seed} followed by {@code path}. */
    public static long mix(long seed, long... path) {
        long h = finalise(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : path) {
            h = finalise(h ^ finalise(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** A generator seeded by {@link #mix(long, long...)}. */
    public static SplittableRandom random(long seed, long... path) {
        return new SplittableRandom(mix(seed, path));
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Fisher-Yates shuffle of {@code list} in place. */
    public static <T> void shuffle(java.util.List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
