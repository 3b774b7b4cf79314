package io.github.bert4j.tokenizer.processors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.EncodingBuilder;

/**
 * {@code [CLS] A [SEP]} (type ids 0) and {@code [CLS] A [SEP] B [SEP]} (B and its [SEP]: type 1),
 * HuggingFace {@code processors/bert.rs}. JSON: {@code {"type":"BertProcessing","sep":["[SEP]",102],
 * "cls":["[CLS]",101]}}.
 */
public record BertProcessing(@JsonProperty("sep") Special sep, @JsonProperty("cls") Special cls)
        implements PostProcessor {

    /** A special token as HF writes it: a two-element array {@code [token, id]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record Special(String token, int id) {
    }

    @JsonCreator
    public BertProcessing {
        if (sep == null || cls == null) {
            throw new IllegalArgumentException("BertProcessing needs 'sep' and 'cls'");
        }
    }

    @Override
    public Encoding process(Encoding a, Encoding b, boolean addSpecialTokens) {
        EncodingBuilder out = new EncodingBuilder(a.length() + (b == null ? 0 : b.length()) + 3);
        if (!addSpecialTokens) {
            out.addAll(a, 0);
            if (b != null) {
                out.addAll(b, 1);
            }
            return out.build();
        }
        out.addSpecial(cls.id, cls.token, 0).addAll(a, 0).addSpecial(sep.id, sep.token, 0);
        if (b != null) {
            out.addAll(b, 1).addSpecial(sep.id, sep.token, 1);
        }
        return out.build();
    }

    @Override
    public int addedTokens(boolean pair) {
        return pair ? 3 : 2;
    }
}
