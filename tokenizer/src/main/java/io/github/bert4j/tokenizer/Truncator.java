package io.github.bert4j.tokenizer;

/** HuggingFace's {@code truncate_encodings} (direction right, stride 0). */
final class Truncator {
    private Truncator() {
    }

    /**
     * Returns {@code {a, b}} shortened so that {@code len(a) + len(b) <= maxLength}.
     *
     * @throws IllegalArgumentException for ONLY_SECOND without a pair, or when the chosen sequence is
     *                                  too short to reach {@code maxLength} (HF errors likewise)
     */
    static Encoding[] truncate(Encoding a, Encoding b, int maxLength, TruncationStrategy strategy) {
        if (maxLength == 0) {
            return new Encoding[] {a.slice(0, 0), b == null ? null : b.slice(0, 0)};
        }
        int total = a.length() + (b == null ? 0 : b.length());
        if (total <= maxLength) {
            return new Encoding[] {a, b};
        }
        int toRemove = total - maxLength;
        switch (strategy) {
            case LONGEST_FIRST -> {
                if (b == null) {
                    return new Encoding[] {a.slice(0, maxLength), null};
                }
                int n1 = a.length();
                int n2 = b.length();
                boolean swap = n1 > n2;
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                if (n1 > maxLength) {
                    n2 = n1;
                } else {
                    n2 = Math.max(n1, maxLength - n1);
                }
                if (n1 + n2 > maxLength) {
                    n1 = maxLength / 2;
                    n2 = n1 + maxLength % 2;
                }
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                return new Encoding[] {a.slice(0, Math.min(n1, a.length())), b.slice(0, Math.min(n2, b.length()))};
            }
            case ONLY_FIRST, ONLY_SECOND -> {
                boolean first = strategy == TruncationStrategy.ONLY_FIRST;
                if (!first && b == null) {
                    throw new IllegalArgumentException("truncation only_second needs a second sequence");
                }
                Encoding target = first ? a : b;
                if (target.length() <= toRemove) {
                    throw new IllegalArgumentException("truncation " + strategy.name().toLowerCase()
                            + ": the sequence to truncate (" + target.length() + " tokens) is too short to reach max_length");
                }
                Encoding cut = target.slice(0, target.length() - toRemove);
                return first ? new Encoding[] {cut, b} : new Encoding[] {a, cut};
            }
            default -> throw new IllegalStateException();
        }
    }
}
