package io.github.bert4j.bert.pretraining;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.bert4j.core.config.Check;
import java.util.List;

/**
 * The {@code data} section of a pretraining config: where the text is, how it is split and how
 * pretraining instances are made from it. Missing keys take BERT's defaults (the {@code seed}
 * preset's values).
 *
 * @param corpus files or glob patterns ({@code data/petitions/*.jsonl}) of the corpus; relative
 *     paths are resolved against the config file's directory
 * @param format corpus format as core's {@code CorpusFormat} spells it: {@code text},
 *     {@code jsonl:<field>}, {@code tsv:<column>}
 * @param splitter sentence splitter: {@code korean} (rule-based), {@code lines} or {@code none}
 * @param extraMlm files of extra text used for the MLM objective only (e.g. KLUE raw sentences)
 * @param extraMlmFormat their format ({@code tsv:1})
 * @param validFraction share of corpus documents held out for validation, assigned per document
 * @param splitSeed seed of the train/valid assignment (kept apart from the training seed so runs
 *     with different seeds are validated on the same documents)
 * @param maxLen sequence length limit including special tokens ({@code max_seq_length})
 * @param nspProb probability of a random segment B (NotNext)
 * @param maskRatio share of non-special tokens to predict
 * @param maxPredictionsPerSeq cap on predictions per sequence
 * @param shortSeqProb probability of a shorter target length per document
 * @param wholeWordMasking mask whole words over {@code ##} pieces
 * @param dynamicMasking fresh masks each epoch (RoBERTa) instead of one fixed set (BERT)
 * @param regenerateInstances new NSP pairs each epoch (like {@code dupe_factor} spread over epochs)
 * @param docsPerShard documents per token shard file
 * @param shardsPerGroup shards shuffled together in memory
 * @param shardDir where shards go (default {@code <output>/shards}); shards are reused when the
 *     corpus and tokenizer have not changed
 * @param padToMaxLen pad every batch to {@code max_len} instead of its longest sequence
 */
public record DataConfig(
        @JsonProperty("corpus") List<String> corpus,
        @JsonProperty("format") String format,
        @JsonProperty("splitter") String splitter,
        @JsonProperty("extra_mlm") List<String> extraMlm,
        @JsonProperty("extra_mlm_format") String extraMlmFormat,
        @JsonProperty("valid_fraction") Double validFraction,
        @JsonProperty("split_seed") Long splitSeed,
        @JsonProperty("max_len") @JsonAlias({"max_seq_length", "max_length", "max_seq_len"}) Integer maxLen,
        @JsonProperty("nsp_prob") Double nspProb,
        @JsonProperty("mask_ratio") @JsonAlias({"masked_lm_prob", "mlm_probability"}) Double maskRatio,
        @JsonProperty("max_predictions_per_seq") Integer maxPredictionsPerSeq,
        @JsonProperty("short_seq_prob") Double shortSeqProb,
        @JsonProperty("whole_word_masking") @JsonAlias({"do_whole_word_mask", "whole_word_mask"}) Boolean wholeWordMasking,
        @JsonProperty("dynamic_masking") Boolean dynamicMasking,
        @JsonProperty("regenerate_instances") Boolean regenerateInstances,
        @JsonProperty("docs_per_shard") Integer docsPerShard,
        @JsonProperty("shards_per_group") Integer shardsPerGroup,
        @JsonProperty("shard_dir") String shardDir,
        @JsonProperty("pad_to_max_len") Boolean padToMaxLen) {

    /** Accepted {@link #splitter()} values. */
    public static final List<String> SPLITTERS = List.of("korean", "lines", "none");

    public DataConfig {
        corpus = corpus == null ? List.of() : List.copyOf(corpus);
        format = Check.notBlank("format", format == null ? "jsonl:content" : format);
        splitter = Check.oneOf("splitter", splitter == null ? "korean" : splitter, SPLITTERS);
        extraMlm = extraMlm == null ? List.of() : List.copyOf(extraMlm);
        extraMlmFormat = Check.notBlank("extra_mlm_format", extraMlmFormat == null ? "tsv:1" : extraMlmFormat);
        validFraction = validFraction == null ? 0.1 : validFraction;
        Check.that(validFraction >= 0 && validFraction < 1, "valid_fraction", "in [0, 1)", validFraction);
        splitSeed = splitSeed == null ? 42L : splitSeed;
        maxLen = maxLen == null ? 128 : maxLen;
        Check.that(maxLen >= 8, "max_len", ">= 8", maxLen);
        nspProb = Check.range("nsp_prob", nspProb == null ? 0.5 : nspProb, 0, 1);
        maskRatio = maskRatio == null ? 0.15 : maskRatio;
        Check.that(maskRatio > 0 && maskRatio <= 1, "mask_ratio", "in (0, 1]", maskRatio);
        maxPredictionsPerSeq = Check.positive("max_predictions_per_seq",
                maxPredictionsPerSeq == null ? (int) Math.ceil(maxLen * maskRatio) : maxPredictionsPerSeq);
        shortSeqProb = Check.range("short_seq_prob", shortSeqProb == null ? 0.1 : shortSeqProb, 0, 1);
        wholeWordMasking = wholeWordMasking != null && wholeWordMasking;
        dynamicMasking = dynamicMasking == null || dynamicMasking;
        regenerateInstances = regenerateInstances == null || regenerateInstances;
        docsPerShard = Check.positive("docs_per_shard", docsPerShard == null ? 500 : docsPerShard);
        shardsPerGroup = Check.positive("shards_per_group", shardsPerGroup == null ? 8 : shardsPerGroup);
        padToMaxLen = padToMaxLen != null && padToMaxLen;
        for (int i = 0; i < corpus.size(); i++) {
            Check.notBlank("corpus[" + i + "]", corpus.get(i));
        }
    }

    /** All defaults and no corpus. */
    public static DataConfig defaults() {
        return new DataConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** A copy reading {@code files} in {@code format}. */
    public DataConfig withCorpus(List<String> files, String format) {
        return new DataConfig(files, format, splitter, extraMlm, extraMlmFormat, validFraction, splitSeed, maxLen, nspProb,
                maskRatio, maxPredictionsPerSeq, shortSeqProb, wholeWordMasking, dynamicMasking, regenerateInstances,
                docsPerShard, shardsPerGroup, shardDir, padToMaxLen);
    }

    /** A copy with {@code max_len} (and the default prediction cap for it). */
    public DataConfig withMaxLen(int len) {
        return new DataConfig(corpus, format, splitter, extraMlm, extraMlmFormat, validFraction, splitSeed, len, nspProb,
                maskRatio, (int) Math.ceil(len * maskRatio), shortSeqProb, wholeWordMasking, dynamicMasking,
                regenerateInstances, docsPerShard, shardsPerGroup, shardDir, padToMaxLen);
    }

    /** The instance/masking/batching options for a micro-batch size. */
    public DataOptions options(int microBatchSize) {
        return new DataOptions(maxLen, shortSeqProb, nspProb, maskRatio, maxPredictionsPerSeq, wholeWordMasking,
                dynamicMasking, regenerateInstances, microBatchSize, shardsPerGroup, padToMaxLen);
    }
}
