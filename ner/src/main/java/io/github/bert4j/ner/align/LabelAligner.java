package io.github.bert4j.ner.align;

import io.github.bert4j.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Moves IOB2 tags between characters and tokens through an {@link Encoding}'s offsets.
 *
 * <p><b>Characters to tokens</b> ({@link #tokenTags}): a token takes the tag of its first
 * character, as KLUE's baseline and the reference project did; special and padding tokens
 * ({@code [CLS]}, {@code [SEP]}, {@code [PAD]}) are tagged {@code O} (they are inside the CRF's
 * mask, which must be a contiguous prefix; padding is outside it). A token whose first character
 * lies inside an earlier token (Nori morphemes whose form differs from the surface share the
 * enclosing span) continues the previous token's entity. Afterwards the token sequence is repaired
 * to valid IOB2 ({@link Iob#repair}): when an entity starts in the middle of a token, that token's
 * first character is {@code O} and the next token's is {@code I-X}; the latter becomes {@code
 * B-X}. Without the repair a BIO-constrained CRF could not represent the gold path.
 *
 * <p><b>Tokens to characters</b> ({@link #charTags}): the first character of a token gets the
 * token's tag, its other characters continue it ({@code I-X}, or {@code O} for an {@code O}
 * token); whitespace between two tokens of one entity (the second tagged {@code I-X}) gets {@code
 * I-X}, as KLUE annotates spaces inside entities; every other character in no token gets {@code O}.
 *
 * <p><b>Characters to entities</b> ({@link #entities}): strict IOB2 over the non-whitespace
 * characters (KLUE's evaluation removes spaces before scoring, so a space never splits an entity),
 * with offsets into the original text.
 *
 * <p>Tag lists are per code point of the text (as {@code NerSentence.charTags}); offsets in the
 * encoding and in {@link Entity} are UTF-16 indices.
 */
public final class LabelAligner {

    private LabelAligner() {
    }

    /** {@code cp[u]} = index of the code point that contains UTF-16 unit {@code u}; length text.length()+1. */
    static int[] codePointIndex(String text) {
        int[] cp = new int[text.length() + 1];
        int c = 0;
        for (int u = 0; u < text.length(); ) {
            int n = Character.charCount(text.codePointAt(u));
            for (int k = 0; k < n; k++) {
                cp[u + k] = c;
            }
            u += n;
            c++;
        }
        cp[text.length()] = c;
        return cp;
    }

    /** Whether the token at {@code i} is special or padding (or has an empty span). */
    static boolean isSpecial(Encoding enc, int i) {
        return enc.specialTokensMask()[i] != 0 || enc.ends()[i] <= enc.starts()[i];
    }

    /**
     * One tag per token of {@code enc} (an encoding of {@code text}), from the per-code-point
     * {@code charTags}; valid IOB2.
     */
    public static String[] tokenTags(String text, List<String> charTags, Encoding enc) {
        int[] cp = codePointIndex(text);
        if (cp[text.length()] != charTags.size()) {
            throw new IllegalArgumentException("text has " + cp[text.length()] + " characters but " + charTags.size() + " tags");
        }
        String[] out = new String[enc.length()];
        int coveredTo = 0; // UTF-16 end of the furthest-reaching token so far
        String prev = "O";
        for (int i = 0; i < out.length; i++) {
            if (isSpecial(enc, i)) {
                out[i] = "O";
                continue;
            }
            int s = enc.starts()[i];
            if (s < 0 || enc.ends()[i] > text.length()) {
                throw new IllegalArgumentException("token " + i + " (" + enc.tokens()[i] + ") span [" + s + ", "
                        + enc.ends()[i] + ") is outside the text of length " + text.length());
            }
            if (s < coveredTo) {
                String type = Iob.type(prev);
                out[i] = type == null ? "O" : "I-" + type;
            } else {
                out[i] = charTags.get(cp[s]);
            }
            coveredTo = Math.max(coveredTo, enc.ends()[i]);
            prev = out[i];
        }
        return Iob.repair(out);
    }

    /**
     * One tag per code point of {@code text} from one tag per token of {@code enc}.
     */
    public static List<String> charTags(String text, Encoding enc, String[] tokenTags) {
        if (tokenTags.length != enc.length()) {
            throw new IllegalArgumentException(tokenTags.length + " token tags for " + enc.length() + " tokens");
        }
        int[] cp = codePointIndex(text);
        int nChars = cp[text.length()];
        String[] out = new String[nChars];
        int lastEnd = -1;           // code point index after the previous real token
        String lastTag = "O";
        for (int i = 0; i < enc.length(); i++) {
            if (isSpecial(enc, i)) {
                continue;
            }
            int s = cp[enc.starts()[i]];
            int e = cp[enc.ends()[i]];
            String tag = tokenTags[i];
            String type = Iob.type(tag);
            if (lastEnd >= 0 && lastEnd < s && Iob.continues(lastTag, tag)) {
                for (int c = lastEnd; c < s; c++) {
                    if (out[c] == null && Character.isWhitespace(text.codePointAt(text.offsetByCodePoints(0, c)))) {
                        out[c] = tag;
                    }
                }
            }
            for (int c = s; c < e; c++) {
                if (out[c] == null) {
                    out[c] = c == s ? tag : type == null ? "O" : "I-" + type;
                }
            }
            if (e > lastEnd) {
                lastEnd = e;
                lastTag = tag;
            }
        }
        for (int c = 0; c < nChars; c++) {
            if (out[c] == null) {
                out[c] = "O";
            }
        }
        return Arrays.asList(out);
    }

    /**
     * Entities of a text from its per-code-point tags: strict IOB2 over the non-whitespace
     * characters; each entity spans from its first to its last character.
     */
    public static List<Entity> entities(String text, List<String> charTags) {
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        int c = 0;
        for (int u = 0; u < text.length(); c++) {
            int code = text.codePointAt(u);
            int n = Character.charCount(code);
            if (!Character.isWhitespace(code)) {
                starts.add(u);
                ends.add(u + n);
                kept.add(charTags.get(c));
            }
            u += n;
        }
        if (c != charTags.size()) {
            throw new IllegalArgumentException("text has " + c + " characters but " + charTags.size() + " tags");
        }
        List<Entity> out = new ArrayList<>();
        for (Iob.Span span : Iob.spans(kept)) {
            int s = starts.get(span.start());
            int e = ends.get(span.end() - 1);
            out.add(new Entity(span.type(), s, e, text.substring(s, e)));
        }
        return out;
    }

    /** The non-whitespace characters' tags (what KLUE's character-level metrics compare). */
    public static List<String> withoutWhitespace(String text, List<String> charTags) {
        List<String> kept = new ArrayList<>(charTags.size());
        int c = 0;
        for (int u = 0; u < text.length(); c++) {
            int code = text.codePointAt(u);
            if (!Character.isWhitespace(code)) {
                kept.add(charTags.get(c));
            }
            u += Character.charCount(code);
        }
        return kept;
    }
}
