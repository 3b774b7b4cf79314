/**
 * Pretraining examples: documents of tokenized sentences → sentence-pair instances with NSP labels
 * ({@link io.github.bert4j.bert.pretraining.data.PretrainingInstances}), MLM masking 80/10/10
 * ({@link io.github.bert4j.bert.pretraining.data.Masking}) and padded batches ({@link
 * io.github.bert4j.bert.pretraining.data.PretrainingBatch}), each reproducible from a seed ({@link
 * io.github.bert4j.bert.pretraining.data.Seeds}).
 */
package io.github.bert4j.bert.pretraining.data;
