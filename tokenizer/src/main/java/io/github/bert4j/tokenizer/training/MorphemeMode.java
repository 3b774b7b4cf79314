package io.github.bert4j.tokenizer.training;

/** How training text is cut below the BERT pre-tokenizer's words. */
public enum MorphemeMode {
    /** Words as the BERT pre-tokenizer gives them (HuggingFace's behaviour). */
    NONE,
    /** Words further cut into morphemes by Lucene Nori; later morphemes of a word count as {@code ##} pieces. */
    NORI;

    /** Parses {@code nori} / {@code none} (case-insensitive). */
    public static MorphemeMode parse(String s) {
        for (MorphemeMode m : values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("morphemes must be 'nori' or 'none', got '" + s + "'");
    }
}
