package io.github.bert4j.core.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule-based sentence splitter for Korean (and the Latin text mixed into it), tuned on the
 * petitions corpus. Lines are split first (a newline always ends a sentence); within a line:
 *
 * <ul>
 *   <li><b>{@code ! ? ！ ？ 。}</b> (runs such as {@code ?!} count once) end a sentence when followed
 *       by whitespace, the end of the line, Hangul or an opening quote — except inside {@code (?)}.</li>
 *   <li><b>{@code .}</b> ends a sentence when followed by whitespace or the end of the line, unless
 *       the word before it is an abbreviation ({@code Mr.}, {@code e.g.}, {@code No. 3}), initials
 *       ({@code U.S.}, {@code J. K.}), a number in a date or numbering chain ({@code 2019. 4. 15.},
 *       {@code 1.2.3.}) or a list marker at the start of a sentence ({@code 1.}, {@code a.}, {@code 가.}).
 *       It also ends a sentence when glued to the next word ({@code 했다.그리고}) if the syllable
 *       before it is a sentence-final ending (다, 요, 죠, 까, 오, 음, 함, 임, 됨, 네, 냐, 군, 데) —
 *       so {@code 교육.연수} stays whole. Decimals ({@code 3.5}), URLs and e-mail addresses never
 *       split (no whitespace after the dot).</li>
 *   <li><b>Ellipses</b> ({@code ...}, {@code ..}, {@code …}) do not end a sentence, except right after
 *       a final ending 다/요/까/죠 and before whitespace ({@code 했습니다... 그리고}).</li>
 *   <li><b>Closing quotes and brackets</b> right after the terminator stay with their sentence
 *       ({@code "정말이야!"}, {@code (참고.)}); a straight quote counts as closing when the sentence
 *       so far holds an odd number of them. A quotation followed by a quotative particle
 *       ({@code "안녕."이라고}, {@code "왜?" 하고}) does not end the sentence.</li>
 *   <li><b>A bare list marker in mid-sentence</b> ({@code ... 지원 5. 무분별한 ...}, {@code 가. 서론 나. 본론})
 *       starts a new sentence before the marker.</li>
 *   <li><b>Inside a double-quoted passage</b> whose closing quote follows within 200 characters, a
 *       terminator does not end the sentence ({@code "밥 먹었어. 너는?" 그가 물었다.} splits only after
 *       the closing quote).</li>
 *   <li>With {@code formalEndings} (the default), the formal endings {@code ㅂ니다} and
 *       {@code ㅂ니까} followed by a space and Hangul end a sentence even without punctuation
 *       ({@code 부탁드립니다 정말}); petitions often omit the period.</li>
 * </ul>
 * A piece with no letter or digit (e.g. {@code ^^} or {@code !!!} after an implicit boundary) is
 * appended to the previous sentence.
 */
public final class KoreanSentenceSplitter implements SentenceSplitter {

    static final KoreanSentenceSplitter DEFAULT = new KoreanSentenceSplitter(true);

    private static final Pattern NEWLINE = Pattern.compile("\\R|\u2028|\u2029");
    private static final Pattern LIST_MARKER = Pattern.compile("\\(?(\\d{1,3}|[A-Za-z]|[ivxIVX]{1,4}|[가나다라마바사아자차카타파하])\\)?");
    private static final Pattern INITIALS = Pattern.compile("([A-Z]\\.)*[A-Z]");
    private static final Pattern NUMBER_CHAIN = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern ENDS_WITH_NUMBER_DOT = Pattern.compile(".*[0-9]\\.\\s+$", Pattern.DOTALL);

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt",
            "vs", "e.g", "i.e", "cf", "etc", "inc", "ltd", "co", "corp", "dept", "univ", "approx", "gov", "jan", "feb",
            "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");
    private static final Set<String> NUMERIC_ABBREVIATIONS = Set.of("no", "nos", "vol", "p", "pp", "fig", "art", "ch",
            "sec", "para", "op", "ed", "tel");
    /** Syllables that end a sentence when a period glues it to the next word. */
    private static final String FINAL_GLUED = "다요죠까오음함임됨네냐군데";
    /** Syllables after which an ellipsis followed by whitespace ends a sentence. */
    private static final String FINAL_ELLIPSIS = "다요까죠오";
    private static final String CLOSERS = "”’」』）)]}〉》›»〕】";
    private static final String OPENERS = "“‘「『（([{〈《‹«〔【\"'";
    private static final String[] QUOTATIVES = {"라고", "라는", "라며", "라면", "란", "이라", "하고", "하며", "하는",
        "하면서", "하자", "하던", "하신", "했", "한다", "고", "며", "라"};
    /** How far ahead a closing double quote may be for a terminator to count as inside a quotation. */
    private static final int QUOTE_LOOKAHEAD = 200;

    private final boolean formalEndings;

    /**
     * @param formalEndings also split after {@code ㅂ니다}/{@code ㅂ니까} + space + Hangul without punctuation
     */
    public KoreanSentenceSplitter(boolean formalEndings) {
        this.formalEndings = formalEndings;
    }

    @Override
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String line : NEWLINE.split(text)) {
            if (!line.isBlank()) {
                splitLine(line, out);
            }
        }
        return out;
    }

    private void splitLine(String s, List<String> out) {
        int n = s.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (isTerminator(c)) {
                int j = i;
                boolean strong = false;
                boolean ellipsis = false;
                int dots = 0;
                while (j < n && isTerminator(s.charAt(j))) {
                    char t = s.charAt(j);
                    if (t == '.') {
                        dots++;
                    } else if (t == '…') {
                        ellipsis = true;
                    } else {
                        strong = true;
                    }
                    j++;
                }
                ellipsis |= dots >= 2;
                int k = j;
                boolean quote = false;
                while (k < n) {
                    char q = s.charAt(k);
                    if (CLOSERS.indexOf(q) >= 0) {
                        quote |= q == '”' || q == '’' || q == '」' || q == '』' || q == '»' || q == '›';
                        k++;
                    } else if ((q == '"' || q == '\'') && count(s, start, k, q) % 2 == 1) {
                        quote = true;
                        k++;
                    } else {
                        break;
                    }
                }
                if (strong) {
                    if (strongBoundary(s, start, i, k, quote)) {
                        start = emit(s, start, k, out);
                    }
                } else if (ellipsis) {
                    if (ellipsisBoundary(s, start, i, k, quote)) {
                        start = emit(s, start, k, out);
                    }
                } else {
                    int cut = periodBoundary(s, start, i, j, k, quote);
                    if (cut >= 0) {
                        start = emit(s, start, cut, out);
                    }
                }
                i = Math.max(k, i + 1);
                continue;
            }
            if (formalEndings && (c == '다' || c == '까') && i >= 2 && s.charAt(i - 1) == '니'
                    && hasFinalB(s.charAt(i - 2)) && i + 1 < n && Character.isWhitespace(s.charAt(i + 1))) {
                int m = skipSpaces(s, i + 1);
                if (m < n && isHangulSyllable(s.charAt(m)) && !quotativeAt(s, m)) {
                    start = emit(s, start, i + 1, out);
                }
            }
            i++;
        }
        emit(s, start, n, out);
    }

    /** After {@code ! ?}: the run is at [i, ...), closers end at k. */
    private static boolean strongBoundary(String s, int start, int i, int k, boolean quote) {
        if (i > start && (s.charAt(i - 1) == '(' || s.charAt(i - 1) == '[')) {
            return false; // "(?)", "[!]"
        }
        if (k >= s.length()) {
            return true;
        }
        char next = s.charAt(k);
        if (Character.isWhitespace(next)) {
            return !(quote && quotativeAt(s, skipSpaces(s, k))) && !insideQuotation(s, start, i, k);
        }
        if (isHangul(next)) {
            return !quote; // "왜?"라고 -> particle
        }
        return OPENERS.indexOf(next) >= 0;
    }

    private static boolean ellipsisBoundary(String s, int start, int i, int k, boolean quote) {
        if (k >= s.length() || !Character.isWhitespace(s.charAt(k)) || i == start) {
            return false; // end of line is handled by the line break itself
        }
        return FINAL_ELLIPSIS.indexOf(s.charAt(i - 1)) >= 0 && !(quote && quotativeAt(s, skipSpaces(s, k)));
    }

    /**
     * After a single period at {@code i} (run ends at {@code j}, closers at {@code k}): the index to
     * cut the sentence at, or -1 for no boundary. Usually {@code k}; for a bare list number in
     * mid-sentence, the start of that number (the number opens the next sentence).
     */
    private static int periodBoundary(String s, int start, int i, int j, int k, boolean quote) {
        int n = s.length();
        char prev = i > start ? s.charAt(i - 1) : 0;
        int wordStart = i;
        while (wordStart > start && !Character.isWhitespace(s.charAt(wordStart - 1))) {
            wordStart--;
        }
        String word = afterOpeners(s.substring(wordStart, i));
        boolean atEnd = k >= n;
        char next = atEnd ? 0 : s.charAt(k);
        int nextWord = atEnd ? n : skipSpaces(s, k);
        boolean nextIsDigit = nextWord < n && Character.isDigit(s.charAt(nextWord));

        if (k == j) { // no closers: the word itself may be a number, abbreviation, initials, marker
            if (NUMBER_CHAIN.matcher(word).matches()) {
                if (word.indexOf('.') >= 0 || nextIsDigit
                        || ENDS_WITH_NUMBER_DOT.matcher(s.substring(start, wordStart)).matches()) {
                    return -1; // 2019. 4. 15. / 1.2.3.
                }
                if (s.substring(start, wordStart).isBlank()) {
                    return -1; // "3. ..." list marker opening this sentence
                }
                if (word.length() <= 2 && !atEnd && (Character.isWhitespace(next) || isHangul(next))) {
                    return wordStart; // "... 지원 5. 무분별한" -> new sentence starts at "5."
                }
            }
            if (LIST_MARKER.matcher(word).matches() && s.substring(start, wordStart).isBlank()) {
                return -1;
            }
            if (word.length() == 1 && "가나다라마바사아자차카타파하".indexOf(word.charAt(0)) >= 0 && word.equals(s.substring(wordStart, i))
                    && !atEnd && Character.isWhitespace(next)) {
                return wordStart; // "가. 서론 나. 본론" -> new sentence starts at "나."
            }
        }
        if (atEnd) {
            return k;
        }
        if (Character.isWhitespace(next)) {
            if (k == j) {
                if (INITIALS.matcher(word).matches()) {
                    return -1;
                }
                String lower = word.toLowerCase(Locale.ROOT);
                if (ABBREVIATIONS.contains(lower) || (NUMERIC_ABBREVIATIONS.contains(lower) && nextIsDigit)) {
                    return -1;
                }
            }
            if (quote ? quotativeAt(s, nextWord) : insideQuotation(s, start, i, k)) {
                return -1;
            }
            return k;
        }
        if (isHangul(next)) {
            if (quote) {
                return -1; // "안녕."이라고 -> particle
            }
            return k > j || FINAL_GLUED.indexOf(prev) >= 0 ? k : -1;
        }
        if (OPENERS.indexOf(next) >= 0 && k == j) {
            return FINAL_GLUED.indexOf(prev) >= 0 ? k : -1;
        }
        return -1;
    }

    /**
     * True if the terminator at {@code i} sits inside a double-quoted passage: the sentence so far
     * opened a quotation ({@code "} an odd number of times, or a {@code “} after the last {@code ”})
     * and its closing quote follows within {@link #QUOTE_LOOKAHEAD} characters. Then
     * {@code "안녕. 반가워." 그가 말했다.} stays one sentence up to the closing quote.
     */
    private static boolean insideQuotation(String s, int start, int i, int k) {
        int limit = Math.min(s.length(), k + QUOTE_LOOKAHEAD);
        if (count(s, start, i, '"') % 2 == 1) {
            int close = s.indexOf('"', k);
            if (close >= 0 && close < limit) {
                return true;
            }
        }
        int open = s.lastIndexOf('“', i);
        if (open >= start && s.lastIndexOf('”', i) < open) {
            int close = s.indexOf('”', k);
            return close >= 0 && close < limit;
        }
        return false;
    }

    private static int emit(String s, int from, int to, List<String> out) {
        String piece = s.substring(from, to).strip();
        if (!piece.isEmpty()) {
            if (!hasLetterOrDigit(piece) && !out.isEmpty()) {
                String last = out.remove(out.size() - 1);
                boolean glued = from > 0 && !Character.isWhitespace(s.charAt(from));
                out.add(last + (glued ? "" : " ") + piece);
            } else {
                out.add(piece);
            }
        }
        return to;
    }

    private static boolean quotativeAt(String s, int m) {
        for (String q : QUOTATIVES) {
            if (s.startsWith(q, m)) {
                int e = m + q.length();
                if (q.length() > 1 || e >= s.length() || Character.isWhitespace(s.charAt(e))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isTerminator(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…' || c == '。' || c == '！' || c == '？'
                || c == '‼' || c == '⁇' || c == '⁈' || c == '⁉';
    }

    private static boolean hasLetterOrDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The part of {@code w} after its last opening quote or bracket: {@code 과일(e.g} -> {@code e.g}. */
    private static String afterOpeners(String w) {
        int b = w.length();
        while (b > 0 && OPENERS.indexOf(w.charAt(b - 1)) < 0) {
            b--;
        }
        return w.substring(b);
    }

    private static int count(String s, int from, int to, char c) {
        int k = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }

    private static int skipSpaces(String s, int from) {
        int m = from;
        while (m < s.length() && Character.isWhitespace(s.charAt(m))) {
            m++;
        }
        return m;
    }

    static boolean isHangulSyllable(char c) {
        return c >= '\uAC00' && c <= '\uD7A3';
    }

    private static boolean isHangul(char c) {
        return isHangulSyllable(c) || (c >= '\u3131' && c <= '\u318E') || (c >= '\u1100' && c <= '\u11FF');
    }

    /** True if the syllable has the final consonant ㅂ (as in 합, 습, 입, 됩 before 니다/니까). */
    private static boolean hasFinalB(char c) {
        return isHangulSyllable(c) && (c - 0xAC00) % 28 == 17;
    }

    @Override
    public String toString() {
        return formalEndings ? "korean" : "korean(punctuation only)";
    }
}
