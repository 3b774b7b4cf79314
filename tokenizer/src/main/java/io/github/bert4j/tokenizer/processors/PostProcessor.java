package io.github.bert4j.tokenizer.processors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.bert4j.tokenizer.Encoding;

/**
 * Last encoding stage: adds the special tokens and type ids around one or two encoded sequences
 * (HuggingFace {@code PostProcessor}). Saved under {@code "post_processor"}, tagged by {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BertProcessing.class, name = "BertProcessing"),
        @JsonSubTypes.Type(value = TemplateProcessing.class, name = "TemplateProcessing")})
public sealed interface PostProcessor permits BertProcessing, TemplateProcessing {
    /**
     * Joins {@code a} and optionally {@code b} (null for a single sequence). Without special tokens
     * the sequences are concatenated (a's type ids 0, b's 1).
     */
    Encoding process(Encoding a, Encoding b, boolean addSpecialTokens);

    /** How many special tokens {@link #process} adds for a single sequence or a pair. */
    int addedTokens(boolean pair);
}
