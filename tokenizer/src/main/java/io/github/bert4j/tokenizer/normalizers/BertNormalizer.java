package io.github.bert4j.tokenizer.normalizers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.bert4j.tokenizer.NormalizedString;
import java.text.Normalizer.Form;

/**
 * BERT's normalizer, exactly as HuggingFace {@code normalizers/bert.rs} applies it, in this order:
 * <ol>
 *   <li>{@code clean_text}: drop U+0000, U+FFFD and control/format/unassigned/private-use chars
 *       (TAB/LF/CR excepted), map every whitespace to a space;</li>
 *   <li>{@code handle_chinese_chars}: put spaces around CJK ideographs;</li>
 *   <li>{@code strip_accents} (when {@code null}, follows {@code lowercase}, as HF does): NFD, then
 *       drop nonspacing marks. <b>This decomposes Hangul into jamo</b>, so bert4j writes {@code false}
 *       explicitly for Korean;</li>
 *   <li>{@code lowercase}: per-character full lowercase mapping (Rust {@code char::to_lowercase}).</li>
 * </ol>
 * All steps are per code point, so they run fused in a single pass; every output character keeps the
 * original span of the character it came from.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BertNormalizer(
        @JsonProperty("clean_text") boolean cleanText,
        @JsonProperty("handle_chinese_chars") boolean handleChineseChars,
        @JsonProperty("strip_accents") Boolean stripAccents,
        @JsonProperty("lowercase") boolean lowercase) implements Normalizer {

    @JsonCreator
    public BertNormalizer(
            @JsonProperty("clean_text") Boolean cleanText,
            @JsonProperty("handle_chinese_chars") Boolean handleChineseChars,
            @JsonProperty("strip_accents") Boolean stripAccents,
            @JsonProperty("lowercase") Boolean lowercase) {
        this(cleanText == null || cleanText, handleChineseChars == null || handleChineseChars, stripAccents,
                lowercase == null || lowercase);
    }

    /** bert4j's default for Korean: clean, CJK spacing, no accent stripping, case kept. */
    public static BertNormalizer korean(boolean lowercase) {
        return new BertNormalizer(true, true, Boolean.FALSE, lowercase);
    }

    /** HuggingFace's defaults (bert-base-uncased): strip_accents null = lowercase. */
    public static BertNormalizer huggingFaceDefault() {
        return new BertNormalizer(true, true, null, true);
    }

    /** Whether accents are stripped after resolving {@code null} to {@code lowercase}. */
    public boolean effectiveStripAccents() {
        return stripAccents == null ? lowercase : stripAccents;
    }

    @Override
    public void normalize(NormalizedString text) {
        boolean strip = effectiveStripAccents();
        char[] in = text.chars();
        int n = text.length();
        NormalizedString.Builder out = text.rewrite();
        int i = 0;
        while (i < n) {
            char ch = in[i];
            if (CharClasses.isPlainAscii(ch)) {
                int s = text.alignStart(i);
                out.appendCodePoint(ch, s, text.alignEnd(i));
                i++;
                continue;
            }
            int cp = Character.codePointAt(in, i, n);
            int len = Character.charCount(cp);
            int s = text.alignStart(i);
            int e = text.alignEnd(i + len - 1);
            i += len;
            if (cleanText) {
                if (CharClasses.isRemovedByCleanText(cp)) {
                    continue;
                }
                if (CharClasses.isBertWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (handleChineseChars && CharClasses.isChinese(cp)) {
                out.appendCodePoint(' ', s, e);
                emit(cp, strip, out, s, e);
                out.appendCodePoint(' ', s, e);
            } else {
                emit(cp, strip, out, s, e);
            }
        }
        out.commit();
    }

    private void emit(int cp, boolean strip, NormalizedString.Builder out, int s, int e) {
        if (strip && cp >= 0x80) {
            String d = java.text.Normalizer.normalize(new String(Character.toChars(cp)), Form.NFD);
            for (int j = 0; j < d.length(); ) {
                int c = d.codePointAt(j);
                j += Character.charCount(c);
                if (!CharClasses.isMarkNonspacing(c)) {
                    lower(c, out, s, e);
                }
            }
        } else {
            lower(cp, out, s, e);
        }
    }

    private void lower(int cp, NormalizedString.Builder out, int s, int e) {
        if (!lowercase) {
            out.appendCodePoint(cp, s, e);
        } else if (cp == 0x130) {
            out.appendCodePoint('i', s, e).appendCodePoint(0x307, s, e);
        } else {
            out.appendCodePoint(Character.toLowerCase(cp), s, e);
        }
    }
}
