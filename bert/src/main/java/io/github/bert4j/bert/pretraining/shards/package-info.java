/**
 * The on-disk shards of tokenized pretraining data: writing ({@link
 * io.github.bert4j.bert.pretraining.shards.ShardWriter}, {@link
 * io.github.bert4j.bert.pretraining.shards.Sharding}), reading with checks that name the file
 * and record ({@link io.github.bert4j.bert.pretraining.shards.ShardReader}, {@link
 * io.github.bert4j.bert.pretraining.shards.ShardFormatException}) and the set of shards a run uses
 * ({@link io.github.bert4j.bert.pretraining.shards.ShardSet}).
 */
package io.github.bert4j.bert.pretraining.shards;
