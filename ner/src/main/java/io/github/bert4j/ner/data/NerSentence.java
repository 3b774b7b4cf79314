package io.github.bert4j.ner.data;

import java.util.List;

/**
 * One KLUE NER sentence: its text and one IOB2 tag per character.
 *
 * <p>A "character" is a Unicode code point, as in the KLUE files (one per line); {@code
 * charTags.get(i)} tags the i-th code point of {@code text} (for Korean text, which is all in the
 * BMP, that is {@code text.charAt(i)}). Spaces are characters too and are tagged (usually {@code
 * O}; inside an entity KLUE tags them {@code I-X}).
 *
 * @param id the sentence id from its {@code ## <id>\t<annotated>} line (e.g. {@code
 *     klue-ner-v1_dev_00000-wikitree}), or a generated {@code sentence-<n>} if the file has none
 * @param text the sentence
 * @param charTags one tag per code point of {@code text}
 * @param annotated the annotated form ({@code <경찰:OG>은 ...}) as read, or null to derive it from the tags
 */
public record NerSentence(String id, String text, List<String> charTags, String annotated) {

    public NerSentence {
        charTags = List.copyOf(charTags);
        int n = text.codePointCount(0, text.length());
        if (n != charTags.size()) {
            throw new IllegalArgumentException("sentence " + id + " has " + n + " characters but " + charTags.size() + " tags");
        }
    }

    /** A sentence without a stored annotated line. */
    public NerSentence(String id, String text, List<String> charTags) {
        this(id, text, charTags, null);
    }

    /** Number of characters (code points). */
    public int length() {
        return charTags.size();
    }

    /** The stored annotated line, or one derived from the tags ({@code <surface:TYPE>} per entity). */
    public String annotatedOrDerived() {
        return annotated != null ? annotated : Annotation.derive(text, charTags);
    }
}
