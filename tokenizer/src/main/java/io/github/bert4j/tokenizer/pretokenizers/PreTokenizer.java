package io.github.bert4j.tokenizer.pretokenizers;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.bert4j.tokenizer.PreTokenizedString;

/**
 * Second pipeline stage: cuts the normalized text into words (HuggingFace {@code PreTokenizer}).
 * Saved under {@code "pre_tokenizer"}, tagged by {@code "type"}. {@code NoriMorpheme} is a bert4j
 * extension that HuggingFace cannot load.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BertPreTokenizer.class, name = "BertPreTokenizer"),
        @JsonSubTypes.Type(value = SequencePreTokenizer.class, name = "Sequence"),
        @JsonSubTypes.Type(value = NoriPreTokenizer.class, name = "NoriMorpheme")})
public sealed interface PreTokenizer permits BertPreTokenizer, SequencePreTokenizer, NoriPreTokenizer {
    /** Refines the splits of {@code text} in place. Must be thread-safe. */
    void preTokenize(PreTokenizedString text);
}
