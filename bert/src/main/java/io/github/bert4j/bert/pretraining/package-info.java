/**
 * The pretraining run ({@code bert4j pretrain}): YAML configuration ({@link
 * io.github.bert4j.bert.pretraining.PretrainConfig}), corpus → tokenizer → shards → {@link
 * io.github.bert4j.bert.BertPreTrainingModel} trained by the core {@code Trainer} ({@link
 * io.github.bert4j.bert.pretraining.Pretrainer}), model card. What it reads and writes lives next
 * door: {@code pretraining.data} (instances, masking, batches) and {@code pretraining.shards}
 * (the on-disk format).
 */
package io.github.bert4j.bert.pretraining;
