/** Sentence embeddings from an encoder (mean or {@code [CLS]} pooling of the hidden states): {@link io.github.bert4j.bert.embed.TextEmbedder}. */
package io.github.bert4j.bert.embed;
