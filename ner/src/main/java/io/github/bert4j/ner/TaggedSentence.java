package io.github.bert4j.ner;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.tokenizer.Encoding;
import java.util.List;

/**
 * The tagging of one text.
 *
 * @param text the input
 * @param encoding its tokens (no special tokens)
 * @param tokenTags one predicted tag per token of {@code encoding} (valid IOB2)
 * @param charTags one tag per code point of {@code text}
 * @param entities the entities, offsets into {@code text}
 */
public record TaggedSentence(String text, Encoding encoding, String[] tokenTags, List<String> charTags,
        List<Entity> entities) {}
