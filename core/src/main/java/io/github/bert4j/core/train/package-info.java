/**
 * The training loop shared by pretraining and fine-tuning: {@link io.github.bert4j.core.train.Trainer}
 * over a {@link io.github.bert4j.core.train.TrainableModel} and a {@link
 * io.github.bert4j.core.train.BatchSource}, with {@link io.github.bert4j.core.train.AdamW}, {@link
 * io.github.bert4j.core.train.LrSchedule learning-rate schedules}, {@link
 * io.github.bert4j.core.train.GradientClipping global-norm clipping}, gradient accumulation and
 * resumable {@link io.github.bert4j.core.train.Checkpoints checkpoints}; configured by {@link
 * io.github.bert4j.core.train.TrainingConfig}.
 */
package io.github.bert4j.core.train;
