package io.github.bert4j.ner.data;

import java.util.List;

/** KLUE's inline annotation ({@code <surface:TYPE>}) derived from character tags. */
final class Annotation {

    private Annotation() {
    }

    /**
     * Wraps every entity (a {@code B-X} followed by {@code I-X}s; a stray {@code I-X} also starts
     * one) in {@code <...:X>}.
     */
    static String derive(String text, List<String> tags) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        String open = null;
        int i = 0;
        for (int off = 0; off < text.length(); i++) {
            int cp = text.codePointAt(off);
            String tag = tags.get(i);
            String type = tag.length() > 2 ? tag.substring(2) : null;
            boolean continues = open != null && tag.startsWith("I-") && type.equals(open);
            if (open != null && !continues) {
                out.append(':').append(open).append('>');
                open = null;
            }
            if (open == null && type != null) {
                out.append('<');
                open = type;
            }
            out.appendCodePoint(cp);
            off += Character.charCount(cp);
        }
        if (open != null) {
            out.append(':').append(open).append('>');
        }
        return out.toString();
    }
}
