package io.github.bert4j.ner.align;

import java.util.ArrayList;
import java.util.List;

/**
 * IOB2 helpers shared by alignment and evaluation.
 *
 * <p>Strict IOB2 (seqeval {@code mode="strict", scheme=IOB2}): an entity is a {@code B-X} followed
 * by the longest run of {@code I-X}; an {@code I-X} that does not continue a {@code B-X}/{@code
 * I-X} of the same type belongs to no entity.
 */
public final class Iob {

    /** An entity as an index span over a tag sequence: {@code [start, end)}. */
    public record Span(String type, int start, int end) {}

    private Iob() {
    }

    public static String type(String tag) {
        return tag.length() > 2 && (tag.startsWith("B-") || tag.startsWith("I-")) ? tag.substring(2) : null;
    }

    public static boolean isInside(String tag) {
        return tag.startsWith("I-");
    }

    public static boolean isBegin(String tag) {
        return tag.startsWith("B-");
    }

    /** Whether {@code tag} continues an entity whose previous tag was {@code prev}. */
    public static boolean continues(String prev, String tag) {
        return isInside(tag) && prev != null && !prev.equals("O") && type(tag).equals(type(prev));
    }

    /** Strict IOB2 entity spans of a tag sequence. */
    public static List<Span> spans(List<String> tags) {
        List<Span> out = new ArrayList<>();
        int n = tags.size();
        int i = 0;
        while (i < n) {
            String t = tags.get(i);
            if (!isBegin(t)) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && isInside(tags.get(j)) && type(tags.get(j)).equals(type(t))) {
                j++;
            }
            out.add(new Span(type(t), i, j));
            i = j;
        }
        return out;
    }

    /**
     * Makes a tag sequence valid IOB2 in place: an {@code I-X} that does not continue an entity of
     * type X becomes {@code B-X}.
     */
    public static String[] repair(String[] tags) {
        String prev = "O";
        for (int i = 0; i < tags.length; i++) {
            if (isInside(tags[i]) && !continues(prev, tags[i])) {
                tags[i] = "B-" + type(tags[i]);
            }
            prev = tags[i];
        }
        return tags;
    }
}
