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

    /** A three-way split; every list keeps file order. */
    public record ThreeWay<T>(List<T> train, List<T> valid, List<T> test) {
        public ThreeWay {
            train = List.copyOf(train);
            valid = List.copyOf(valid);
            test = List.copyOf(test);
        }
    }

    /**
     * Test = indices {@code i} with {@code i % modulus == testRemainder}; of the others, validation =
     * {@code i % validModulus == validRemainder}; the rest is train. The index is always the
     * sentence's position in the file, so the test split is the one {@link #byIndex(List, int, int)}
     * gives, and the validation split is carved out of its train part only. With {@code 5, 4, 10, 3}
     * on the 4,000 bundled sentences: 2,800 train, 400 valid ({@code i % 10 == 3}), 800 test.
     *
     * @throws IllegalArgumentException if the rule leaves the validation or the train split empty
     *     (for example {@code i % 10 == 9}, which is always also {@code i % 5 == 4})
     */
    public static <T> ThreeWay<T> byIndex(List<T> items, int modulus, int testRemainder, int validModulus,
            int validRemainder) {
        if (validModulus < 2 || validRemainder < 0 || validRemainder >= validModulus) {
            throw new IllegalArgumentException("need validModulus >= 2 and 0 <= validRemainder < validModulus, got "
                    + validModulus + ", " + validRemainder);
        }
        Split<T> held = byIndex(items, modulus, testRemainder);
        List<T> train = new ArrayList<>();
        List<T> valid = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (i % modulus == testRemainder) continue;
            (i % validModulus == validRemainder ? valid : train).add(items.get(i));
        }
        if (!items.isEmpty() && (valid.isEmpty() || train.isEmpty())) {
            throw new IllegalArgumentException("the split i % " + modulus + " == " + testRemainder + " -> test, i % "
                    + validModulus + " == " + validRemainder + " -> valid leaves " + train.size() + " train and "
                    + valid.size() + " valid sentences of " + items.size());
        }
        return new ThreeWay<>(train, valid, held.test());
    }

    /** {@code byIndex(items, 5, 4)}: 80 % train, 20 % test. */
    public static <T> Split<T> everyFifth(List<T> items) {
        return byIndex(items, 5, 4);
    }
}
