package io.github.bert4j.tokenizer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A token matched verbatim in the input before normalization (HuggingFace {@code added_tokens}),
 * such as {@code [CLS]} typed into the text. bert4j matches tokens with {@code normalized == false}
 * on the original text (leftmost, then longest), honouring {@code single_word}, {@code lstrip} and
 * {@code rstrip}; tokens with {@code normalized == true} are matched the same way on the original
 * text (HF matches them on the normalized text; they do not occur in BERT files).
 */
@JsonPropertyOrder({"id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"})
public record AddedToken(
        @JsonProperty("id") int id,
        @JsonProperty("content") String content,
        @JsonProperty("single_word") boolean singleWord,
        @JsonProperty("lstrip") boolean lstrip,
        @JsonProperty("rstrip") boolean rstrip,
        @JsonProperty("normalized") boolean normalized,
        @JsonProperty("special") boolean special) {

    @JsonCreator
    public AddedToken {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("added token " + id + " has empty 'content'");
        }
    }

    /** A special token as BERT tokenizers declare them (all flags false but special). */
    public static AddedToken special(int id, String content) {
        return new AddedToken(id, content, false, false, false, false, true);
    }
}
