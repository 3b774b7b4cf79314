package io.github.bert4j.tokenizer.decoders;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** Turns tokens back into text (HuggingFace {@code Decoder}). Saved under {@code "decoder"}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = WordPieceDecoder.class, name = "WordPiece")})
public sealed interface Decoder permits WordPieceDecoder {
    /** Joins {@code tokens} into a string. */
    String decode(List<String> tokens);
}
