package io.github.bert4j.bert.classification;

import io.github.bert4j.core.corpus.DocumentSplit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic train / valid / test split by document, and the label set.
 *
 * <p>Two schemes, both functions of the document alone (never of a random generator or of the
 * order in which a run reads the files):
 *
 * <ul>
 *   <li><b>by index</b> ({@link Scheme#byIndex}): document {@code i} ({@link LabelledText#index},
 *       file order over the sorted files) is valid if {@code i % modulus == validRemainder}, test if
 *       {@code i % modulus == testRemainder}, else train; with 10, 3, 7 that is 80/10/10;</li>
 *   <li><b>test = the pretraining hold-out</b> ({@link Scheme#pretrainingHoldout}): test is the
 *       documents that a pretraining run with {@code valid_fraction} and {@code split_seed} kept out
 *       of its training data ({@link DocumentSplit#isValid} of the id {@code <file name>:<line>}, as
 *       {@code bert4j pretrain} splits), so an encoder pretrained on the same files has never read a
 *       test text; of the other documents, {@code i % modulus == validRemainder} are valid.</li>
 * </ul>
 *
 * <p>The label set is the sorted set of labels seen in <em>train</em>. A valid or test document
 * whose label train never shows is dropped (with {@link UnknownLabels#DROP}, counted in {@link
 * Split#dropped}) or an error ({@link UnknownLabels#ERROR}).
 */
public final class ClassificationSplit {

    /** What to do with a valid/test document whose label does not occur in train. */
    public enum UnknownLabels {
        /** Leave it out of its split and count it. */
        DROP,
        /** Fail, naming the document and the label. */
        ERROR
    }

    /**
     * The split rule.
     *
     * @param modulus the index modulus (>= 2)
     * @param validRemainder {@code i % modulus} of the valid documents
     * @param testRemainder {@code i % modulus} of the test documents (by index), or null with a hold-out
     * @param holdoutFraction the pretraining {@code valid_fraction} whose held-out documents are test, or null
     * @param holdoutSeed the pretraining {@code split_seed}
     */
    public record Scheme(int modulus, int validRemainder, Integer testRemainder, Double holdoutFraction,
            long holdoutSeed) {
        public Scheme {
            if (modulus < 2) {
                throw new IllegalArgumentException("split modulus must be >= 2, got " + modulus);
            }
            if (validRemainder < 0 || validRemainder >= modulus) {
                throw new IllegalArgumentException("valid remainder must be in [0, " + modulus + "), got " + validRemainder);
            }
            if ((testRemainder == null) == (holdoutFraction == null)) {
                throw new IllegalArgumentException("exactly one of the test remainder and the hold-out fraction must be set");
            }
            if (testRemainder != null && (testRemainder < 0 || testRemainder >= modulus || testRemainder == validRemainder)) {
                throw new IllegalArgumentException("test remainder must be in [0, " + modulus + ") and differ from the"
                        + " valid remainder " + validRemainder + ", got " + testRemainder);
            }
            if (holdoutFraction != null && !(holdoutFraction > 0 && holdoutFraction < 1)) {
                throw new IllegalArgumentException("hold-out fraction must be in (0, 1), got " + holdoutFraction);
            }
        }

        /** By index: {@code i % modulus == validRemainder} valid, {@code == testRemainder} test. */
        public static Scheme byIndex(int modulus, int validRemainder, int testRemainder) {
            return new Scheme(modulus, validRemainder, testRemainder, null, 0);
        }

        /** Test = pretraining's held-out documents; valid = {@code i % modulus == validRemainder} of the rest. */
        public static Scheme pretrainingHoldout(double fraction, long seed, int modulus, int validRemainder) {
            return new Scheme(modulus, validRemainder, null, fraction, seed);
        }

        /** Where document {@code d} goes. */
        public Part part(LabelledText d) {
            if (holdoutFraction != null) {
                if (DocumentSplit.isValid(d.id(), holdoutFraction, holdoutSeed)) return Part.TEST;
                return d.index() % modulus == validRemainder ? Part.VALID : Part.TRAIN;
            }
            int r = d.index() % modulus;
            return r == validRemainder ? Part.VALID : r == testRemainder ? Part.TEST : Part.TRAIN;
        }

        /** One line for logs, params and reports. */
        public String describe() {
            return holdoutFraction != null
                    ? "test: the pretraining hold-out (valid_fraction " + holdoutFraction + ", split_seed " + holdoutSeed
                            + "); valid: index % " + modulus + " == " + validRemainder + " of the rest; train: the rest"
                    : "index % " + modulus + " == " + validRemainder + " -> valid, == " + testRemainder
                            + " -> test, else train";
        }
    }

    /** The three parts. */
    public enum Part {
        TRAIN, VALID, TEST;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The split.
     *
     * @param labels the sorted labels of train (class id = position)
     * @param dropped per part ({@code valid}, {@code test}): documents left out for a label unknown to train
     */
    public record Split(List<LabelledText> train, List<LabelledText> valid, List<LabelledText> test,
            List<String> labels, Map<String, Integer> dropped) {
        public Split {
            train = List.copyOf(train);
            valid = List.copyOf(valid);
            test = List.copyOf(test);
            labels = List.copyOf(labels);
            dropped = Map.copyOf(dropped);
        }

        public List<LabelledText> part(Part p) {
            return switch (p) {
                case TRAIN -> train;
                case VALID -> valid;
                case TEST -> test;
            };
        }

        /** Class id of each document of {@code docs} (all must have a label of {@link #labels}). */
        public int[] ids(List<LabelledText> docs) {
            Map<String, Integer> id = new java.util.HashMap<>();
            for (int i = 0; i < labels.size(); i++) id.put(labels.get(i), i);
            int[] out = new int[docs.size()];
            for (int i = 0; i < out.length; i++) {
                Integer c = id.get(docs.get(i).label());
                if (c == null) {
                    throw new IllegalArgumentException(docs.get(i).id() + ": label \"" + docs.get(i).label()
                            + "\" is not one of " + labels);
                }
                out[i] = c;
            }
            return out;
        }

        /** Documents per label of {@code docs}, in label order (every label, zeros included). */
        public Map<String, Integer> distribution(List<LabelledText> docs) {
            Map<String, Integer> out = new LinkedHashMap<>();
            labels.forEach(l -> out.put(l, 0));
            docs.forEach(d -> out.merge(d.label(), 1, Integer::sum));
            return out;
        }
    }

    private ClassificationSplit() {
    }

    /**
     * Splits {@code docs} by {@code scheme}.
     *
     * @throws IllegalArgumentException when train is empty or holds fewer than 2 labels, or (with
     *     {@link UnknownLabels#ERROR}) a valid/test document has a label train does not show
     */
    public static Split split(List<LabelledText> docs, Scheme scheme, UnknownLabels unknown) {
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> valid = new ArrayList<>();
        List<LabelledText> test = new ArrayList<>();
        for (LabelledText d : docs) {
            switch (scheme.part(d)) {
                case TRAIN -> train.add(d);
                case VALID -> valid.add(d);
                case TEST -> test.add(d);
            }
        }
        TreeSet<String> labels = new TreeSet<>();
        train.forEach(d -> labels.add(d.label()));
        if (labels.size() < 2) {
            throw new IllegalArgumentException("the training split (" + train.size() + " documents, " + scheme.describe()
                    + ") must show at least 2 labels, got " + labels);
        }
        Map<String, Integer> dropped = new TreeMap<>();
        dropped.put("valid", removeUnknown(valid, labels, unknown, "valid"));
        dropped.put("test", removeUnknown(test, labels, unknown, "test"));
        return new Split(train, valid, test, List.copyOf(labels), dropped);
    }

    private static int removeUnknown(List<LabelledText> docs, TreeSet<String> labels, UnknownLabels unknown, String part) {
        int before = docs.size();
        for (LabelledText d : docs) {
            if (!labels.contains(d.label()) && unknown == UnknownLabels.ERROR) {
                throw new IllegalArgumentException(d.file() + ", line " + d.line() + ": label \"" + d.label() + "\" of a "
                        + part + " document never occurs in the training split; known labels: " + labels
                        + " (data.unknown_labels: drop leaves such documents out)");
            }
        }
        docs.removeIf(d -> !labels.contains(d.label()));
        return before - docs.size();
    }
}
