package io.github.bert4j.bert.pretraining;

import io.github.bert4j.bert.pretraining.CorpusFiles;
import io.github.bert4j.bert.pretraining.DataConfig;
import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.bert.pretraining.TokenizerConfig;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link PretrainConfig} reads and where {@link Pretrainer} keeps what it derives from it:
 * the expanded corpus files, their formats and splitter, the tokenizer trainer, and the stamps
 * (source descriptions) that let a later run reuse a trained tokenizer and token shards. A job
 * that prepares the same tokenizer and shards elsewhere (bert4j-spark's {@code prepare}) writes
 * them under the same names and stamps, so {@link Pretrainer#run} picks them up unchanged.
 *
 * @param corpus the {@code data.corpus} files, in order
 * @param extraFiles the {@code data.extra_mlm} files, in order (maybe empty)
 * @param corpusStamp identifies corpus files (paths, sizes, times) and the reading settings
 */
public record PretrainingInputs(PretrainConfig config, Path output, List<Path> corpus, List<Path> extraFiles,
                                CorpusFormat format, CorpusFormat extraFormat, SentenceSplitter splitter,
                                String corpusStamp) {

    /** Name of the stamp file inside a trained tokenizer's directory. */
    public static final String TOKENIZER_STAMP = "bert4j-trained-on.txt";

    /**
     * Expands and checks the config's corpus section.
     *
     * @param output the run's output directory (absolute)
     * @throws ConfigException for a missing corpus, bad patterns or formats
     */
    public static PretrainingInputs of(PretrainConfig cfg, Path output) {
        DataConfig data = cfg.data();
        if (data.corpus().isEmpty()) {
            throw ConfigException.invalid("data.corpus", "a list of at least one corpus file", data.corpus());
        }
        List<Path> corpus = CorpusFiles.expand(data.corpus(), "data.corpus");
        List<Path> extraFiles = CorpusFiles.expand(data.extraMlm(), "data.extra_mlm");
        CorpusFormat format = parseFormat(data.format(), "data.format");
        CorpusFormat extraFormat = parseFormat(data.extraMlmFormat(), "data.extra_mlm_format");
        SentenceSplitter splitter = CorpusFiles.splitter(data.splitter());
        String corpusStamp = "format " + data.format() + "; splitter " + data.splitter() + "; valid_fraction "
                + data.validFraction() + "; split_seed " + data.splitSeed() + "\n" + CorpusFiles.describe(corpus);
        return new PretrainingInputs(cfg, output, corpus, extraFiles, format, extraFormat, splitter, corpusStamp);
    }

    private static CorpusFormat parseFormat(String spec, String key) {
        try {
            return CorpusFormat.parse(spec);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(key, "a corpus format such as jsonl:content, tsv:1 or text (" + e.getMessage() + ")", spec);
        }
    }

    /** The sentence splitter named by {@code data.splitter} ({@code korean}, {@code lines}, {@code none}). */
    public static SentenceSplitter splitter(String name) {
        return CorpusFiles.splitter(name);
    }

    /** Where a trained tokenizer goes: {@code <output>/tokenizer}. */
    public Path tokenizerDir() {
        return output.resolve(Pretrainer.TOKENIZER_DIR);
    }

    /** The stamp of a tokenizer trained on the train documents with the config's settings. */
    public String tokenizerStamp() {
        TokenizerConfig tc = config.tokenizer();
        return "vocab_size " + tc.vocabSize() + "; min_frequency " + tc.minFrequency() + "; morphemes " + tc.morphemes().configName()
                + "; limit_alphabet " + tc.limitAlphabet() + "\n" + corpusStamp;
    }

    /** The WordPiece trainer the tokenizer section describes ({@code threads} workers). */
    public WordPieceTrainer tokenizerTrainer(int threads, boolean showProgress) {
        TokenizerConfig tc = config.tokenizer();
        WordPieceTrainer.Builder b = WordPieceTrainer.builder().vocabSize(tc.vocabSize()).minFrequency(tc.minFrequency())
                .morphemes(tc.morphemes()).showProgress(showProgress).threads(threads);
        if (tc.limitAlphabet() != null) {
            b.limitAlphabet(tc.limitAlphabet());
        }
        return b.build();
    }

    /** {@code data.shard_dir}, or {@code <output>/shards}. */
    public Path shardRoot() {
        return config.data().shardDir() != null ? Path.of(config.data().shardDir()) : output.resolve("shards");
    }

    /** The manifest source of the train ({@code "train"}) or valid ({@code "valid"}) shards. */
    public String sideSource(String side) {
        return corpusStamp + "side " + side;
    }

    /** The manifest source of the extra MLM-only shards. */
    public String extraSource() {
        return "format " + config.data().extraMlmFormat() + "; splitter " + config.data().splitter() + "\n"
                + CorpusFiles.describe(extraFiles);
    }
}
