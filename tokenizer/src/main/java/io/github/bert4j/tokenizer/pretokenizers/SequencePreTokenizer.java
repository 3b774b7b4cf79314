package io.github.bert4j.tokenizer.pretokenizers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.bert4j.tokenizer.PreTokenizedString;
import java.util.List;

/** Applies pre-tokenizers one after another (HuggingFace {@code "Sequence"}). */
public record SequencePreTokenizer(@JsonProperty("pretokenizers") List<PreTokenizer> pretokenizers)
        implements PreTokenizer {

    @JsonCreator
    public SequencePreTokenizer {
        if (pretokenizers == null) {
            throw new IllegalArgumentException("Sequence needs a 'pretokenizers' list");
        }
        pretokenizers = List.copyOf(pretokenizers);
    }

    @Override
    public void preTokenize(PreTokenizedString text) {
        for (PreTokenizer p : pretokenizers) {
            p.preTokenize(text);
        }
    }
}
