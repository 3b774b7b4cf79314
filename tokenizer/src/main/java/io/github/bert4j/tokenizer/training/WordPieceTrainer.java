package io.github.bert4j.tokenizer.training;

import io.github.bert4j.core.progress.Progress;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.Vocabulary;
import io.github.bert4j.tokenizer.normalizers.BertNormalizer;
import io.github.bert4j.tokenizer.pretokenizers.BertPreTokenizer;
import io.github.bert4j.tokenizer.pretokenizers.NoriPreTokenizer;
import io.github.bert4j.tokenizer.pretokenizers.PreTokenizer;
import io.github.bert4j.tokenizer.pretokenizers.SequencePreTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains a WordPiece vocabulary and returns a ready {@link Tokenizer}.
 *
 * <p>Algorithm: HuggingFace's {@code WordPieceTrainer} — BPE merges with the {@code ##} continuing
 * subword prefix, vocabulary = special tokens + alphabet + {@code ##} characters + merged tokens (see
 * {@link WordPieceLearner}). Input words come from the tokenizer's own {@link BertNormalizer} and
 * {@link BertPreTokenizer}; with {@link MorphemeMode#NORI} each word is further cut into morphemes by
 * Lucene Nori and the second and later morphemes are counted as continuation pieces ({@code 대통령은}
 * → {@code 대통령}, {@code ##은}), as the reference project did with mecab, so particles and endings
 * ({@code ##은 ##을 ##습니다}) become their own pieces.
 *
 * <p>The corpus is streamed once (words counted on {@code threads} workers); only the word-count
 * table is held in memory. Same input and options give the same vocabulary.
 *
 * <p>The returned tokenizer encodes with plain WordPiece (HuggingFace-compatible); with
 * {@link Builder#encodeWithNori(boolean)} it also cuts morphemes at encode time, a bert4j-only
 * pipeline ({@code pre_tokenizer} {@code Sequence[BertPreTokenizer, NoriMorpheme]}) that HuggingFace
 * cannot load.
 */
public final class WordPieceTrainer {
    private static final System.Logger LOG = System.getLogger(WordPieceTrainer.class.getName());

    /** [PAD] [UNK] [CLS] [SEP] [MASK] [EOD]. */
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of(
            Vocabulary.PAD, Vocabulary.UNK, Vocabulary.CLS, Vocabulary.SEP, Vocabulary.MASK, Vocabulary.EOD);

    private final int vocabSize;
    private final long minFrequency;
    private final int limitAlphabet;
    private final List<String> specialTokens;
    private final MorphemeMode morphemes;
    private final int threads;
    private final boolean showProgress;
    private final BertNormalizer normalizer;
    private final boolean encodeWithNori;

    private WordPieceTrainer(Builder b) {
        this.vocabSize = b.vocabSize;
        this.minFrequency = b.minFrequency;
        this.limitAlphabet = b.limitAlphabet;
        LinkedHashSet<String> specials = new LinkedHashSet<>(b.specialTokens);
        specials.addAll(b.extraSpecialTokens);
        this.specialTokens = List.copyOf(specials);
        this.morphemes = b.morphemes;
        this.threads = b.threads;
        this.showProgress = b.showProgress;
        this.normalizer = b.normalizer;
        this.encodeWithNori = b.encodeWithNori;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Counts words of {@code texts} and learns the vocabulary. {@code texts} is iterated once. */
    public Tokenizer train(Iterable<String> texts) {
        return tokenizerFor(trainVocabulary(texts));
    }

    /** As {@link #train} but returns only the vocabulary. */
    public Vocabulary trainVocabulary(Iterable<String> texts) {
        long t0 = System.nanoTime();
        Map<String, Long> counts = countWords(texts);
        long t1 = System.nanoTime();
        Vocabulary v = learn(counts);
        LOG.log(System.Logger.Level.INFO, "WordPiece vocabulary: {0} tokens from {1} distinct words "
                + "(counting {2} s, merges {3} s)", v.size(), counts.size(),
                String.format("%.1f", (t1 - t0) / 1e9), String.format("%.1f", (System.nanoTime() - t1) / 1e9));
        return v;
    }

    /** Word (and {@code ##}continuation) frequencies of {@code texts}. */
    public Map<String, Long> countWords(Iterable<String> texts) {
        PreTokenizer pre = morphemes == MorphemeMode.NORI
                ? new SequencePreTokenizer(List.of(BertPreTokenizer.create(), NoriPreTokenizer.create()))
                : BertPreTokenizer.create();
        AtomicLong seen = new AtomicLong();
        try (Progress p = showProgress ? Progress.bar("count words", -1) : Progress.silent()) {
            return new WordCounter(normalizer, pre, threads).count(texts, n -> p.stepTo(seen.addAndGet(n)));
        }
    }

    /** Learns the vocabulary from word counts (keys starting with {@code ##} are continuation pieces). */
    public Vocabulary learn(Map<String, Long> wordCounts) {
        List<String> tokens;
        try (Progress p = showProgress ? Progress.bar("merges", vocabSize) : Progress.silent()) {
            tokens = new WordPieceLearner().learn(wordCounts, specialTokens, vocabSize, minFrequency, limitAlphabet,
                    p::stepTo);
        }
        if (!tokens.contains(Vocabulary.UNK) || !tokens.contains(Vocabulary.CLS) || !tokens.contains(Vocabulary.SEP)) {
            throw new IllegalStateException("special tokens must include [UNK], [CLS] and [SEP]: " + specialTokens);
        }
        return Vocabulary.of(tokens, specialTokens);
    }

    /** The tokenizer this trainer's options describe, over {@code vocab}. */
    public Tokenizer tokenizerFor(Vocabulary vocab) {
        PreTokenizer pre = encodeWithNori
                ? new SequencePreTokenizer(List.of(BertPreTokenizer.create(), NoriPreTokenizer.create()))
                : BertPreTokenizer.create();
        return Tokenizer.bert(vocab, normalizer, pre);
    }

    /** Options; defaults: 30000 tokens, min frequency 2, no alphabet limit, BERT specials, no morphemes. */
    public static final class Builder {
        private int vocabSize = 30000;
        private long minFrequency = 2;
        private int limitAlphabet = 0;
        private List<String> specialTokens = DEFAULT_SPECIAL_TOKENS;
        private final List<String> extraSpecialTokens = new ArrayList<>();
        private MorphemeMode morphemes = MorphemeMode.NONE;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean showProgress = false;
        private BertNormalizer normalizer = BertNormalizer.korean(false);
        private boolean encodeWithNori = false;

        public Builder vocabSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("vocab_size must be > 0, got " + n);
            }
            this.vocabSize = n;
            return this;
        }

        /** A pair must occur at least this often to be merged (HF {@code min_frequency}). */
        public Builder minFrequency(long f) {
            if (f < 0) {
                throw new IllegalArgumentException("min_frequency must be >= 0, got " + f);
            }
            this.minFrequency = f;
            return this;
        }

        /** Keep at most this many characters in the alphabet (0 = no limit; HF {@code limit_alphabet}). */
        public Builder limitAlphabet(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("limit_alphabet must be >= 0, got " + n);
            }
            this.limitAlphabet = n;
            return this;
        }

        /** Replaces the special tokens (first ids, in order). Must include [UNK], [CLS], [SEP]. */
        public Builder specialTokens(List<String> tokens) {
            this.specialTokens = List.copyOf(tokens);
            return this;
        }

        /** Appends user special tokens after the default ones. */
        public Builder addSpecialTokens(String... tokens) {
            this.extraSpecialTokens.addAll(List.of(tokens));
            return this;
        }

        public Builder morphemes(MorphemeMode mode) {
            this.morphemes = mode;
            return this;
        }

        public Builder threads(int n) {
            this.threads = Math.max(1, n);
            return this;
        }

        public Builder showProgress(boolean show) {
            this.showProgress = show;
            return this;
        }

        /** The normalizer (default {@link BertNormalizer#korean(boolean) korean(false)}). */
        public Builder normalizer(BertNormalizer n) {
            this.normalizer = n;
            return this;
        }

        /** Shortcut for the Korean normalizer with or without lowercasing (accents never stripped). */
        public Builder lowercase(boolean lowercase) {
            this.normalizer = BertNormalizer.korean(lowercase);
            return this;
        }

        /** Also cut Nori morphemes at encode time (bert4j-only tokenizer.json). */
        public Builder encodeWithNori(boolean on) {
            this.encodeWithNori = on;
            return this;
        }

        public WordPieceTrainer build() {
            return new WordPieceTrainer(this);
        }
    }
}
