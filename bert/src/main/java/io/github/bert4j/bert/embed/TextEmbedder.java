package io.github.bert4j.bert.embed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.Truncation;
import io.github.bert4j.tokenizer.TruncationStrategy;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Text in, one vector per text out: a model directory's tokenizer and encoder, a pooling, and
 * optionally L2 normalisation — what sentence-transformers' {@code encode} does for a BERT model
 * such as all-MiniLM-L6-v2 (mean pooling over the attention mask, then normalisation).
 *
 * <p>Texts are encoded with special tokens and truncated to the tokenizer's own truncation length
 * or the model's {@code max_position_embeddings}, whichever is shorter; each batch is padded to its
 * longest text (the tokenizer's own padding is not applied, so a fixed padding length in a {@code
 * tokenizer.json} costs nothing). Thread-safe; the encoder runs one batch at a time.
 */
public final class TextEmbedder implements AutoCloseable {
    /** How the token vectors of a text become one vector. */
    public enum Pooling {
        /** The last hidden state of the first token ({@code [CLS]}). */
        CLS,
        /** The mean of the last hidden states of the text's tokens (attention mask 1), special tokens included. */
        MEAN;

        /** {@code cls} or {@code mean}, any case. */
        public static Pooling parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "cls" -> CLS;
                case "mean" -> MEAN;
                default -> throw new IllegalArgumentException("pooling must be cls or mean, got '" + s + "'");
            };
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** Texts per encoder call. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final BertEncoder encoder;
    private final Tokenizer tokenizer;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchSize;
    private final int maxLength;
    private final boolean ownsEncoder;

    /** An embedder over a live encoder and tokenizer (the caller keeps owning the encoder). */
    public TextEmbedder(BertEncoder encoder, Tokenizer tokenizer, Pooling pooling, boolean normalize, int batchSize) {
        this(encoder, tokenizer, pooling, normalize, batchSize, false);
    }

    private TextEmbedder(BertEncoder encoder, Tokenizer tokenizer, Pooling pooling, boolean normalize, int batchSize,
            boolean owns) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (tokenizer.vocab().size() > encoder.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocab().size()
                    + " tokens, the model's vocab_size is " + encoder.config().vocabSize());
        }
        Truncation own = tokenizer.truncation();
        int modelMax = encoder.config().maxPositionEmbeddings();
        this.maxLength = own == null ? modelMax : Math.min(own.maxLength(), modelMax);
        this.tokenizer = tokenizer.withoutPadding().withTruncation(maxLength,
                own == null ? TruncationStrategy.LONGEST_FIRST : own.strategy());
        this.encoder = encoder;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
        this.ownsEncoder = owns;
    }

    /** Loads {@code dir}'s encoder ({@code config.json}, {@code model.safetensors}) and {@code tokenizer.json}. */
    public static TextEmbedder load(Path dir, Pooling pooling, boolean normalize) throws IOException {
        Path tok = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tok)) {
            throw new IOException("no tokenizer in the model directory: " + tok + " does not exist");
        }
        Tokenizer tokenizer = Tokenizer.load(tok);
        BertEncoder encoder = BertEncoder.load(dir);
        try {
            return new TextEmbedder(encoder, tokenizer, pooling, normalize, DEFAULT_BATCH_SIZE, true);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /** Width of the vectors ({@code hidden_size}). */
    public int dimension() {
        return encoder.config().hiddenSize();
    }

    /** Tokens per text at most (truncation length). */
    public int maxLength() {
        return maxLength;
    }

    public Pooling pooling() {
        return pooling;
    }

    public boolean normalize() {
        return normalize;
    }

    /** Whether {@code text} is longer than {@link #maxLength()} tokens and will be truncated. */
    public boolean truncates(String text) {
        return tokenizer.withoutTruncation().encode(text).length() > maxLength;
    }

    /** The vector of one text. */
    public float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    /** One vector per text, in order. */
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            out.addAll(embedBatch(texts.subList(from, Math.min(texts.size(), from + batchSize))));
        }
        return out;
    }

    private List<float[]> embedBatch(List<String> texts) {
        List<Encoding> enc = tokenizer.encodeBatch(texts);
        int b = enc.size();
        int t = 1;
        for (Encoding e : enc) {
            t = Math.max(t, e.length());
        }
        int pad = Math.max(0, tokenizer.vocab().padId());
        int[][] ids = new int[b][t];
        int[][] types = new int[b][t];
        float[][] maskRows = new float[b][t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            Encoding e = enc.get(i);
            java.util.Arrays.fill(ids[i], pad);
            for (int j = 0; j < e.length(); j++) {
                ids[i][j] = e.ids()[j];
                types[i][j] = e.typeIds()[j];
                maskRows[i][j] = e.attentionMask()[j];
                mask[i * t + j] = e.attentionMask()[j];
            }
        }
        int h = dimension();
        List<float[]> out = new ArrayList<>(b);
        try (INDArray idArr = Nd4j.createFromArray(ids);
             INDArray typeArr = Nd4j.createFromArray(types);
             INDArray maskArr = Nd4j.createFromArray(maskRows)) {
            BertEncoder.Outputs o = encoder.encode(idArr, typeArr, maskArr);
            float[] seq = o.sequenceOutput().dataType() == DataType.FLOAT ? o.sequenceOutput().data().asFloat()
                    : toFloat(o.sequenceOutput());                                           // [B,T,H] row-major
            o.sequenceOutput().close();
            o.pooledOutput().close();
            for (int i = 0; i < b; i++) {
                float[] v = new float[h];
                if (pooling == Pooling.CLS) {
                    System.arraycopy(seq, i * t * h, v, 0, h);
                } else {
                    double[] sum = new double[h];
                    double n = 0;
                    for (int j = 0; j < t; j++) {
                        if (mask[i * t + j] == 0) {
                            continue;
                        }
                        n++;
                        int base = (i * t + j) * h;
                        for (int k = 0; k < h; k++) {
                            sum[k] += seq[base + k];
                        }
                    }
                    for (int k = 0; k < h; k++) {
                        v[k] = (float) (sum[k] / Math.max(n, 1e-9));
                    }
                }
                if (normalize) {
                    double sq = 0;
                    for (float x : v) {
                        sq += (double) x * x;
                    }
                    double norm = Math.max(Math.sqrt(sq), 1e-12);    // as torch.nn.functional.normalize
                    for (int k = 0; k < h; k++) {
                        v[k] = (float) (v[k] / norm);
                    }
                }
                out.add(v);
            }
        }
        return out;
    }

    /**
     * One line of {@code bert4j encode}'s output, without the line end: {@code
     * {"text":"..","embedding":[..]}}, each float as the shortest decimal that reads back to it.
     */
    public static String toJson(String text, float[] embedding) {
        StringWriter w = new StringWriter(16 + text.length() + 12 * embedding.length);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeFieldName("embedding");
            g.writeStartArray();
            for (float x : embedding) {
                g.writeNumber(x);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static float[] toFloat(INDArray a) {
        double[] d = a.data().asDouble();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public void close() {
        if (ownsEncoder) {
            encoder.close();
        }
    }
}
