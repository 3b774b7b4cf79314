package io.github.bert4j.tokenizer.normalizers;

/**
 * The character classes of BERT's basic tokenization, as HuggingFace tokenizers defines them
 * ({@code normalizers/bert.rs}, {@code pre_tokenizers/bert.rs}), answered from a precomputed table
 * for the BMP.
 *
 * <ul>
 *   <li>{@link #isRemovedByCleanText}: U+0000, U+FFFD and "other" characters (general categories
 *       Cc, Cf, Cn, Co, Cs) except TAB, LF, CR;</li>
 *   <li>{@link #isBertWhitespace}: TAB, LF, CR or Unicode {@code White_Space} (mapped to a space by
 *       clean_text);</li>
 *   <li>{@link #isWhitespace}: Unicode {@code White_Space} (Rust {@code char::is_whitespace}), the
 *       pre-tokenizer's separator;</li>
 *   <li>{@link #isPunctuation}: ASCII punctuation/symbols ({@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~})
 *       or Unicode categories Pc Pd Ps Pe Pi Pf Po;</li>
 *   <li>{@link #isChinese}: the CJK ideograph blocks of BERT's {@code _is_chinese_char}.</li>
 * </ul>
 */
public final class CharClasses {
    private static final byte REMOVED = 1;
    private static final byte BERT_WS = 2;
    private static final byte WS = 4;
    private static final byte PUNCT = 8;
    private static final byte CHINESE = 16;
    private static final byte MARK_NONSPACING = 32;
    private static final byte PLAIN_ASCII = 64;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP[c] = compute(c);
        }
    }

    private CharClasses() {
    }

    private static byte compute(int c) {
        int flags = 0;
        if (c == 0 || c == 0xFFFD || (isOther(c) && c != '\t' && c != '\n' && c != '\r')) {
            flags |= REMOVED;
        }
        if (whiteSpace(c)) {
            flags |= WS | BERT_WS;
        }
        if (c == '\t' || c == '\n' || c == '\r') {
            flags |= BERT_WS;
        }
        if (punct(c)) {
            flags |= PUNCT;
        }
        if (chinese(c)) {
            flags |= CHINESE;
        }
        if (Character.getType(c) == Character.NON_SPACING_MARK) {
            flags |= MARK_NONSPACING;
        }
        if (c < 0x80 && flags == 0 && !(c >= 'A' && c <= 'Z')) {
            flags |= PLAIN_ASCII;
        }
        return (byte) flags;
    }

    private static byte flags(int cp) {
        return cp < 0x10000 ? BMP[cp] : compute(cp);
    }

    private static boolean isOther(int c) {
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
                || t == Character.PRIVATE_USE || t == Character.SURROGATE;
    }

    private static boolean whiteSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
                || c == 0x205F || c == 0x3000;
    }

    private static boolean punct(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int t = Character.getType(c);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                || t == Character.OTHER_PUNCTUATION;
    }

    private static boolean chinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F)
                || (c >= 0x2B920 && c <= 0x2CEAF) || (c >= 0xF900 && c <= 0xFAFF)
                || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /** Dropped by BERT's clean_text. */
    public static boolean isRemovedByCleanText(int cp) {
        return (flags(cp) & REMOVED) != 0;
    }

    /** Turned into a space by BERT's clean_text. */
    public static boolean isBertWhitespace(int cp) {
        return (flags(cp) & BERT_WS) != 0;
    }

    /** Unicode White_Space. */
    public static boolean isWhitespace(int cp) {
        return (flags(cp) & WS) != 0;
    }

    /** BERT punctuation (isolated by the pre-tokenizer). */
    public static boolean isPunctuation(int cp) {
        return (flags(cp) & PUNCT) != 0;
    }

    /** A CJK ideograph that BERT surrounds with spaces. */
    public static boolean isChinese(int cp) {
        return (flags(cp) & CHINESE) != 0;
    }

    /** General category Mn (removed by accent stripping). */
    public static boolean isMarkNonspacing(int cp) {
        return (flags(cp) & MARK_NONSPACING) != 0;
    }

    /** An ASCII character that no BERT rule touches except lowercasing: letters a-z, digits. */
    public static boolean isPlainAscii(char c) {
        return c < 0x80 && (BMP[c] & PLAIN_ASCII) != 0;
    }

    /** Raw flags of a BMP char (for the fused fast paths). */
    static byte bmpFlags(char c) {
        return BMP[c];
    }
}
