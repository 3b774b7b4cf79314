package io.github.bert4j.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in the original text: at each position the longest token starting there wins,
 * scanning left to right (leftmost-longest, as HF's Aho-Corasick matcher). Immutable.
 */
final class AddedTokenMatcher {
    /** A match: original {@code [start, end)} is token {@code token}. */
    record Match(int start, int end, AddedToken token) {
    }

    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();
    private final boolean empty;

    AddedTokenMatcher(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            byFirstChar.computeIfAbsent(t.content().charAt(0), k -> new ArrayList<>()).add(t);
        }
        for (List<AddedToken> l : byFirstChar.values()) {
            l.sort((a, b) -> Integer.compare(b.content().length(), a.content().length()));
        }
        empty = tokens.isEmpty();
    }

    boolean isEmpty() {
        return empty;
    }

    /** All matches in {@code text}, in order, non-overlapping; empty list if none. */
    List<Match> find(String text) {
        if (empty) {
            return List.of();
        }
        List<Match> out = null;
        int n = text.length();
        int i = 0;
        while (i < n) {
            List<AddedToken> cands = byFirstChar.get(text.charAt(i));
            AddedToken hit = null;
            if (cands != null) {
                for (AddedToken t : cands) {
                    if (text.startsWith(t.content(), i) && (!t.singleWord() || isWordBounded(text, i, i + t.content().length()))) {
                        hit = t;
                        break;
                    }
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            int s = i;
            int e = i + hit.content().length();
            if (hit.lstrip()) {
                int floor = out == null || out.isEmpty() ? 0 : out.get(out.size() - 1).end();
                while (s > floor && Character.isWhitespace(text.charAt(s - 1))) {
                    s--;
                }
            }
            if (hit.rstrip()) {
                while (e < n && Character.isWhitespace(text.charAt(e))) {
                    e++;
                }
            }
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(new Match(s, e, hit));
            i = e;
        }
        return out == null ? List.of() : out;
    }

    private static boolean isWordBounded(String text, int s, int e) {
        boolean left = s == 0 || !Character.isLetterOrDigit(text.codePointBefore(s));
        boolean right = e >= text.length() || !Character.isLetterOrDigit(text.codePointAt(e));
        return left && right;
    }
}
