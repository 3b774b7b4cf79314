package io.github.bert4j.ner.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic train/test splits by sentence index (0-based position in the file).
 *
 * <p>The reproduction rule is {@link #everyFifth}: sentence {@code i} goes to test when {@code i %
 * 5 == 4}, else to train; on {@code klue-ner-v1.1_dev_4k.tsv} (4,000 sentences) that is 3,200
 * train and 800 test, spread evenly over the file (and so over its sources: wikitree, policy
 * briefings, airbnb reviews, ...).
 */
public final class NerSplits {

    /** A split; both lists keep file order. */
    public record Split<T>(List<T> train, List<T> test) {
        public Split {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }

    private NerSplits() {
    }

    /** Test = indices {@code i} with {@code i % modulus == testRemainder}; the rest is train. */
    public static <T> Split<T> byIndex(List<T> items, int modulus, int testRemainder) {
        if (modulus < 2 || testRemainder < 0 || testRemainder >= modulus) {
            throw new IllegalArgumentException("need modulus >= 2 and 0 <= testRemainder < modulus, got "
                    + modulus + ", " + testRemainder);
        }
        List<T> train = new ArrayList<>();
        List<T> test = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            (i % modulus == testRemainder ? test : train).add(items.get(i));
        }
        return new Split<>(train, test);
    }

    /** {@code byIndex(items, 5, 4)}: 80 % train, 20 % test. */
    public static <T> Split<T> everyFifth(List<T> items) {
        return byIndex(items, 5, 4);
    }
}
