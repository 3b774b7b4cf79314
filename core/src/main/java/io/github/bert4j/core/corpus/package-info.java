/**
 * Corpora: {@link io.github.bert4j.core.corpus.Document}s streamed from plain text, JSON lines or
 * TSV files ({@link io.github.bert4j.core.corpus.Corpora#open}), a Korean-aware
 * {@link io.github.bert4j.core.corpus.SentenceSplitter}, and a deterministic
 * {@link io.github.bert4j.core.corpus.DocumentSplit} into train and valid.
 */
package io.github.bert4j.core.corpus;
