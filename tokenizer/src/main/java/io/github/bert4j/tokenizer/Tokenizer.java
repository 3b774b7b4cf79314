package io.github.bert4j.tokenizer;

import io.github.bert4j.tokenizer.decoders.Decoder;
import io.github.bert4j.tokenizer.models.Model;
import io.github.bert4j.tokenizer.models.WordPiece;
import io.github.bert4j.tokenizer.normalizers.BertNormalizer;
import io.github.bert4j.tokenizer.normalizers.Normalizer;
import io.github.bert4j.tokenizer.pretokenizers.BertPreTokenizer;
import io.github.bert4j.tokenizer.pretokenizers.PreTokenizer;
import io.github.bert4j.tokenizer.processors.PostProcessor;
import io.github.bert4j.tokenizer.processors.TemplateProcessing;
import io.github.bert4j.tokenizer.decoders.WordPieceDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A text-to-{@link Encoding} pipeline in HuggingFace tokenizers' shape: added tokens (matched in the
 * original text) → {@link Normalizer} → {@link PreTokenizer} → {@link Model} → truncation →
 * {@link PostProcessor} → padding. For a {@code tokenizer.json} describing a BERT WordPiece model the
 * result equals HuggingFace's, offsets included (here as UTF-16 indices into the original string).
 *
 * <p>Immutable and thread-safe; the {@code with*} methods return modified copies.
 */
public final class Tokenizer {
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Model model;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final List<AddedToken> addedTokens;
    private final AddedTokenMatcher matcher;
    private final Vocabulary vocab;
    private final Truncation truncation;
    private final Padding padding;

    /**
     * Assembles a pipeline; {@code normalizer}, {@code preTokenizer}, {@code postProcessor},
     * {@code decoder}, {@code truncation} and {@code padding} may be null (stage skipped).
     */
    public Tokenizer(Normalizer normalizer, PreTokenizer preTokenizer, Model model, PostProcessor postProcessor,
                     Decoder decoder, List<AddedToken> addedTokens, Truncation truncation, Padding padding) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.addedTokens = List.copyOf(addedTokens);
        this.matcher = new AddedTokenMatcher(this.addedTokens);
        this.truncation = truncation;
        this.padding = padding;
        String[] tokens = model.tokens();
        for (AddedToken t : this.addedTokens) {
            if (t.id() < 0 || t.id() >= tokens.length || !tokens[t.id()].equals(t.content())) {
                throw new IllegalArgumentException("added token '" + t.content() + "' (id " + t.id()
                        + ") does not match the model vocabulary" + (t.id() >= 0 && t.id() < tokens.length
                        ? " (id " + t.id() + " is '" + tokens[t.id()] + "')" : ""));
            }
        }
        List<String> specials = this.addedTokens.isEmpty()
                ? List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.CLS, Vocabulary.SEP, Vocabulary.MASK, Vocabulary.EOD)
                : this.addedTokens.stream().filter(AddedToken::special).map(AddedToken::content).toList();
        this.vocab = Vocabulary.of(List.of(tokens), specials);
    }

    /**
     * The standard BERT pipeline over {@code vocab}: {@code normalizer}, BertPreTokenizer, WordPiece
     * ([UNK], ##, 100), BERT template, WordPiece decoder; the BERT specials present become added tokens.
     */
    public static Tokenizer bert(Vocabulary vocab, BertNormalizer normalizer, PreTokenizer preTokenizer) {
        List<AddedToken> added = new ArrayList<>();
        for (int id : vocab.specialIds()) {
            added.add(AddedToken.special(id, vocab.token(id)));
        }
        if (vocab.clsId() < 0 || vocab.sepId() < 0 || vocab.unkId() < 0) {
            throw new IllegalArgumentException("a BERT vocabulary needs [CLS], [SEP] and [UNK]");
        }
        return new Tokenizer(normalizer, preTokenizer, new WordPiece(vocab.tokens()),
                TemplateProcessing.bert(Vocabulary.CLS, vocab.clsId(), Vocabulary.SEP, vocab.sepId()),
                WordPieceDecoder.standard(), added, null, null);
    }

    /** Loads {@code tokenizer.json} (a file, or a directory containing one); a {@code .txt} file is a vocab. */
    public static Tokenizer load(Path tokenizerJsonOrDir) {
        Path p = tokenizerJsonOrDir;
        if (Files.isDirectory(p)) {
            p = p.resolve("tokenizer.json");
        } else if (p.getFileName() != null && p.getFileName().toString().endsWith(".txt")) {
            return fromVocab(p);
        }
        return TokenizerJson.read(p);
    }

    /** The bert4j BERT pipeline (Korean normalizer: no lowercase, no accent stripping) over a {@code vocab.txt}. */
    public static Tokenizer fromVocab(Path vocabTxt) {
        return fromVocab(vocabTxt, BertNormalizer.korean(false));
    }

    /** The BERT pipeline with {@code normalizer} over a {@code vocab.txt}. */
    public static Tokenizer fromVocab(Path vocabTxt, BertNormalizer normalizer) {
        return bert(Vocabulary.load(vocabTxt), normalizer, BertPreTokenizer.create());
    }

    /** Writes {@code dir/tokenizer.json} and {@code dir/vocab.txt} (directory created if needed). */
    public void save(Path dir) {
        TokenizerJson.write(this, dir);
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes {@code text} with special tokens, truncation and padding as configured. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    public Encoding encode(String text, boolean addSpecialTokens) {
        return postProcess(encodeSequence(text, 0), null, addSpecialTokens);
    }

    /** Encodes a pair: {@code [CLS] a [SEP] b [SEP]} with b's type ids 1. */
    public Encoding encodePair(String a, String b) {
        return encodePair(a, b, true);
    }

    public Encoding encodePair(String a, String b, boolean addSpecialTokens) {
        return postProcess(encodeSequence(a, 0), encodeSequence(b, 1), addSpecialTokens);
    }

    /** Encodes texts in parallel (common pool); batch-longest padding pads to the longest of the batch. */
    public List<Encoding> encodeBatch(List<String> texts) {
        return encodeBatch(texts, true);
    }

    public List<Encoding> encodeBatch(List<String> texts, boolean addSpecialTokens) {
        Encoding[] out = new Encoding[texts.size()];
        IntStream range = IntStream.range(0, out.length);
        (out.length >= 4 ? range.parallel() : range)
                .forEach(i -> out[i] = postProcessNoPad(encodeSequence(texts.get(i), 0), null, addSpecialTokens));
        return padBatch(out);
    }

    /** Encodes pairs {@code (a[i], b[i])} in parallel. */
    public List<Encoding> encodePairBatch(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("pair batch sizes differ: " + a.size() + " vs " + b.size());
        }
        Encoding[] out = new Encoding[a.size()];
        IntStream range = IntStream.range(0, out.length);
        (out.length >= 4 ? range.parallel() : range)
                .forEach(i -> out[i] = postProcessNoPad(encodeSequence(a.get(i), 0), encodeSequence(b.get(i), 1), true));
        return padBatch(out);
    }

    private List<Encoding> padBatch(Encoding[] out) {
        if (padding != null && out.length > 0) {
            int len = padding.length();
            if (padding.batchLongest()) {
                for (Encoding e : out) {
                    len = Math.max(len, e.length());
                }
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = pad(out[i], len);
            }
        }
        return List.of(out);
    }

    /** Runs added-token matching, normalizer, pre-tokenizer and model on one sequence. */
    Encoding encodeSequence(String text, int typeId) {
        TokenBuffer buf = new TokenBuffer();
        List<AddedTokenMatcher.Match> matches = matcher.find(text);
        int word = 0;
        int pos = 0;
        for (AddedTokenMatcher.Match m : matches) {
            word = encodePlain(text, pos, m.start(), buf, word);
            buf.addOriginal(m.token().id(), m.start(), m.end(), word++);
            pos = m.end();
        }
        encodePlain(text, pos, text.length(), buf, word);
        return buf.toEncoding(model.tokens(), typeId);
    }

    private int encodePlain(String text, int from, int to, TokenBuffer buf, int word) {
        if (from >= to) {
            return word;
        }
        NormalizedString ns = new NormalizedString(text, from, to);
        if (normalizer != null) {
            normalizer.normalize(ns);
        }
        PreTokenizedString pts = new PreTokenizedString(ns);
        if (preTokenizer != null) {
            preTokenizer.preTokenize(pts);
        }
        char[] chars = ns.chars();
        for (int i = 0; i < pts.size(); i++) {
            buf.at(ns, word++);
            model.tokenize(chars, pts.start(i), pts.end(i), pts.isContinuation(i), buf);
        }
        return word;
    }

    private Encoding postProcess(Encoding a, Encoding b, boolean addSpecialTokens) {
        Encoding e = postProcessNoPad(a, b, addSpecialTokens);
        return padding == null ? e : pad(e, padding.batchLongest() ? e.length() : padding.length());
    }

    private Encoding postProcessNoPad(Encoding a, Encoding b, boolean addSpecialTokens) {
        if (truncation != null) {
            int added = postProcessor != null && addSpecialTokens ? postProcessor.addedTokens(b != null) : 0;
            Encoding[] t = Truncator.truncate(a, b, Math.max(0, truncation.maxLength() - added), truncation.strategy());
            a = t[0];
            b = t[1];
        }
        if (postProcessor != null) {
            return postProcessor.process(a, b, addSpecialTokens);
        }
        EncodingBuilder out = new EncodingBuilder(a.length() + (b == null ? 0 : b.length()));
        out.addAll(a, -1);
        if (b != null) {
            out.addAll(b, -1);
        }
        return out.build();
    }

    private Encoding pad(Encoding e, int length) {
        if (e.length() >= length) {
            return e;
        }
        return new EncodingBuilder(length).addAll(e, -1)
                .addPadding(length - e.length(), padding.padId(), padding.padToken(), padding.padTypeId()).build();
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes ids to text, skipping special tokens (HuggingFace's {@code skip_special_tokens=True}). */
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocab.size()) {
                throw new IllegalArgumentException("id " + id + " is outside the vocabulary (size " + vocab.size() + ")");
            }
            if (!(skipSpecialTokens && vocab.isSpecial(id))) {
                tokens.add(vocab.token(id));
            }
        }
        return decoder != null ? decoder.decode(tokens) : String.join(" ", tokens);
    }

    // ---------------------------------------------------------------- configuration

    /** A copy that truncates encodings to {@code maxLength} tokens (special tokens included). */
    public Tokenizer withTruncation(int maxLength, TruncationStrategy strategy) {
        return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, addedTokens,
                new Truncation(maxLength, strategy), padding);
    }

    public Tokenizer withoutTruncation() {
        return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, addedTokens, null, padding);
    }

    /** A copy that pads to {@code length} tokens, or to the longest of a batch when {@code length == -1}. */
    public Tokenizer withPadding(int lengthOrMinus1ForLongest) {
        int padId = vocab.padId();
        if (padId < 0) {
            throw new IllegalStateException("padding needs a [PAD] token in the vocabulary");
        }
        return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, addedTokens, truncation,
                new Padding(lengthOrMinus1ForLongest, padId, vocab.token(padId), 0));
    }

    public Tokenizer withoutPadding() {
        return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, addedTokens, truncation, null);
    }

    /** A copy with another pre-tokenizer (e.g. Bert + Nori morphemes). */
    public Tokenizer withPreTokenizer(PreTokenizer preTokenizer) {
        return new Tokenizer(normalizer, preTokenizer, model, postProcessor, decoder, addedTokens, truncation, padding);
    }

    public Vocabulary vocab() {
        return vocab;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    public Model model() {
        return model;
    }

    public PostProcessor postProcessor() {
        return postProcessor;
    }

    public Decoder decoder() {
        return decoder;
    }

    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** Current truncation or null. */
    public Truncation truncation() {
        return truncation;
    }

    /** Current padding or null. */
    public Padding padding() {
        return padding;
    }
}
