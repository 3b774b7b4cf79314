package io.github.bert4j.core.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a text into sentences. Implementations are immutable and thread-safe; returned sentences
 * are trimmed, non-empty and, concatenated with single spaces, contain every non-whitespace
 * character of the input in order (nothing is dropped or reordered).
 */
@FunctionalInterface
public interface SentenceSplitter {

    /** The sentences of {@code text}, in order; an empty list for blank text. */
    List<String> split(String text);

    /** Rule-based Korean splitter; see {@link KoreanSentenceSplitter}. */
    static SentenceSplitter korean() {
        return KoreanSentenceSplitter.DEFAULT;
    }

    /** One sentence per non-blank line (lines trimmed). */
    static SentenceSplitter lines() {
        return LineSplitter.INSTANCE;
    }

    /** The whole (trimmed) text as one sentence; nothing for blank text. */
    static SentenceSplitter none() {
        return text -> text == null || text.isBlank() ? List.of() : List.of(text.strip());
    }

    /** Lines splitter as a named singleton (so it prints nicely). */
    final class LineSplitter implements SentenceSplitter {
        static final LineSplitter INSTANCE = new LineSplitter();
        private static final Pattern NEWLINE = Pattern.compile("\\R");

        private LineSplitter() {
        }

        @Override
        public List<String> split(String text) {
            List<String> out = new ArrayList<>();
            if (text == null) {
                return out;
            }
            for (String line : NEWLINE.split(text)) {
                String s = line.strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "lines";
        }
    }
}
