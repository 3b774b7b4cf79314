package io.github.bert4j.tokenizer.normalizers;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.bert4j.tokenizer.NormalizedString;

/**
 * First pipeline stage: rewrites the text in place, keeping the alignment to the original
 * (HuggingFace {@code Normalizer}). Saved in {@code tokenizer.json} under {@code "normalizer"},
 * tagged by {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = BertNormalizer.class, name = "BertNormalizer")})
public sealed interface Normalizer permits BertNormalizer {
    /** Normalizes {@code text} in place. Must be thread-safe (stateless). */
    void normalize(NormalizedString text);
}
