package io.github.bert4j.bert.pretraining.shards;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one shard file holds (an entry of {@link ShardSet}'s manifest).
 *
 * @param file the shard's file name, relative to its shard directory
 */
public record ShardInfo(
        @JsonProperty("file") String file,
        @JsonProperty("documents") int documents,
        @JsonProperty("sentences") int sentences,
        @JsonProperty("tokens") long tokens) {}
