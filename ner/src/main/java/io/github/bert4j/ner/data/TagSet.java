package io.github.bert4j.ner.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered IOB2 label set: {@code O} plus {@code B-X}/{@code I-X} for entity types {@code X}.
 * The index of a label is its position in {@link #labels()}; that index is what the classifier
 * and the CRF see.
 *
 * <p>{@link #klue()} is KLUE's order ({@code B-PS, I-PS, B-LC, I-LC, B-OG, I-OG, B-DT, I-DT, B-TI,
 * I-TI, B-QT, I-QT, O}), as in {@code klue_baseline/data/klue_ner.py}. Every type must have both
 * its {@code B-} and its {@code I-} label; exactly one {@code O}.
 */
public final class TagSet {

    /** KLUE NER's six entity types: person, location, organization, date, time, quantity. */
    public static final List<String> KLUE_TYPES = List.of("PS", "LC", "OG", "DT", "TI", "QT");

    public static final String OUTSIDE = "O";

    private final List<String> labels;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> types;
    private final int outside;

    private TagSet(List<String> labels) {
        this.labels = List.copyOf(labels);
        Set<String> typeSet = new LinkedHashSet<>();
        int o = -1;
        for (int i = 0; i < this.labels.size(); i++) {
            String l = this.labels.get(i);
            if (index.put(l, i) != null) {
                throw new IllegalArgumentException("duplicate label '" + l + "' in " + labels);
            }
            if (l.equals(OUTSIDE)) {
                o = i;
            } else if ((l.startsWith("B-") || l.startsWith("I-")) && l.length() > 2) {
                typeSet.add(l.substring(2));
            } else {
                throw new IllegalArgumentException("label '" + l + "' is neither O nor B-<type>/I-<type> in " + labels);
            }
        }
        if (o < 0) {
            throw new IllegalArgumentException("label set has no 'O': " + labels);
        }
        for (String t : typeSet) {
            if (!index.containsKey("B-" + t) || !index.containsKey("I-" + t)) {
                throw new IllegalArgumentException("type " + t + " needs both B-" + t + " and I-" + t + " in " + labels);
            }
        }
        this.outside = o;
        this.types = List.copyOf(typeSet);
    }

    /** KLUE NER's 13 labels in KLUE's order ({@code O} last). */
    public static TagSet klue() {
        return ofTypes(KLUE_TYPES);
    }

    /** {@code B-t, I-t} for each type in order, then {@code O}. */
    public static TagSet ofTypes(List<String> types) {
        List<String> l = new ArrayList<>();
        for (String t : types) {
            l.add("B-" + t);
            l.add("I-" + t);
        }
        l.add(OUTSIDE);
        return new TagSet(l);
    }

    /** The labels in this exact order (validated). */
    public static TagSet of(List<String> labels) {
        return new TagSet(labels);
    }

    public List<String> labels() {
        return labels;
    }

    /** Entity types in order of first appearance. */
    public List<String> types() {
        return types;
    }

    public int size() {
        return labels.size();
    }

    public String label(int i) {
        return labels.get(i);
    }

    /** The index of a label, or -1 if it is not in the set. */
    public int indexOrMinusOne(String label) {
        Integer i = index.get(label);
        return i == null ? -1 : i;
    }

    /** The index of a label; {@link IllegalArgumentException} naming the set if absent. */
    public int index(String label) {
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException("unknown label '" + label + "', expected one of " + labels);
        }
        return i;
    }

    public boolean contains(String label) {
        return index.containsKey(label);
    }

    public int outside() {
        return outside;
    }

    public boolean isBegin(int i) {
        return labels.get(i).startsWith("B-");
    }

    public boolean isInside(int i) {
        return labels.get(i).startsWith("I-");
    }

    /** The entity type of label {@code i}, or null for {@code O}. */
    public String type(int i) {
        return i == outside ? null : labels.get(i).substring(2);
    }

    public int begin(String type) {
        return index("B-" + type);
    }

    public int inside(String type) {
        return index("I-" + type);
    }

    /** The 2K non-O labels, in order (KLUE's character macro F1 averages over these). */
    public List<String> entityLabels() {
        List<String> l = new ArrayList<>(labels);
        l.remove(OUTSIDE);
        return Collections.unmodifiableList(l);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagSet t && t.labels.equals(labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return labels.toString();
    }
}
