/**
 * {@code bert4j quickstart}: the whole Korean pipeline on the bundled data in one command —
 * morpheme-aware tokenizer, MLM+NSP pretraining, BERT+CRF fine-tuning on KLUE NER, KLUE metrics,
 * tagging example sentences. Start reading at {@link io.github.bert4j.examples.quickstart.Quickstart}.
 */
package io.github.bert4j.examples.quickstart;
