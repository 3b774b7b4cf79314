package io.github.bert4j.tokenizer;

/**
 * How a text pair is shortened to a maximum length, as in HuggingFace {@code utils/truncation.rs}.
 * Tokens are always removed from the end of a sequence (direction right, stride 0).
 */
public enum TruncationStrategy {
    /** Shorten the longer sequence first; when both are long each keeps about half. */
    LONGEST_FIRST("LongestFirst"),
    /** Remove tokens from the first sequence only. */
    ONLY_FIRST("OnlyFirst"),
    /** Remove tokens from the second sequence only. */
    ONLY_SECOND("OnlySecond");

    private final String jsonName;

    TruncationStrategy(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling in HuggingFace's tokenizer.json ({@code "LongestFirst"}, ...). */
    public String jsonName() {
        return jsonName;
    }

    /** Parses HF JSON names and snake_case names ({@code longest_first}). */
    public static TruncationStrategy parse(String s) {
        for (TruncationStrategy t : values()) {
            if (t.jsonName.equals(s) || t.name().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown truncation strategy '" + s
                + "', expected LongestFirst, OnlyFirst or OnlySecond");
    }
}
