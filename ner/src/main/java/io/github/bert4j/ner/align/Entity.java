package io.github.bert4j.ner.align;

/**
 * A named entity in a text.
 *
 * @param type entity type, e.g. {@code PS}
 * @param start first UTF-16 index in the original text (inclusive)
 * @param end last UTF-16 index (exclusive): {@code text.substring(start, end)} is the surface
 * @param text the surface form (may contain interior spaces, never leading or trailing ones)
 */
public record Entity(String type, int start, int end, String text) {

    public Entity {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad entity span [" + start + ", " + end + ")");
        }
    }
}
