package io.github.bert4j.core.corpus;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic train/valid assignment by document: a document goes to {@link #VALID} iff a
 * seeded 64-bit hash of its id, mapped to [0, 1), is below {@code validFraction}. The decision
 * depends only on (id, fraction, seed) — not on reading order, file order or the JVM — so the
 * split is stable across runs, machines and resumed trainings, and a document never straddles
 * the two sides. For a given seed, growing the fraction only moves documents from train to valid.
 */
public enum DocumentSplit {
    TRAIN, VALID;

    /** The side of document {@code id}; {@code validFraction} in [0, 1]. */
    public static DocumentSplit byDocument(String id, double validFraction, long seed) {
        if (!(validFraction >= 0 && validFraction <= 1)) {
            throw new IllegalArgumentException("validFraction must be in [0, 1], got " + validFraction);
        }
        return unit(id, seed) < validFraction ? VALID : TRAIN;
    }

    /** {@code byDocument(id, validFraction, seed) == VALID}. */
    public static boolean isValid(String id, double validFraction, long seed) {
        return byDocument(id, validFraction, seed) == VALID;
    }

    /** The document's position in [0, 1): FNV-1a over the UTF-8 bytes, mixed with the seed by SplitMix64's finalizer. */
    public static double unit(String id, long seed) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = mix(h ^ mix(seed + 0x9E3779B97F4A7C15L));
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
