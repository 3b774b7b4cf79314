package io.github.bert4j.ner;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.align.Iob;
import io.github.bert4j.ner.align.LabelAligner;
import io.github.bert4j.ner.align.SlidingWindows;
import io.github.bert4j.ner.crf.CrfMath;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.crf.ForwardBackward;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * From the CRF emission scores of a model's input windows to tags and scored entities: the
 * decoding half of {@link NerPredictor#tag(List, int)}, usable with emissions computed elsewhere, e.g. by ONNX
 * Runtime on a model exported by {@link NerOnnxExport} ({@link #ofOnnx}):
 * <pre>{@code
 * NerDecoder decoder = NerDecoder.ofOnnx(inputs, start, transitions, end);   // the crf_* outputs
 * NerDecoder.Windows w = decoder.windows(texts);     // feed w.ids(i) (attention mask 1, token types 0)
 * List<TaggedSentence> tagged = decoder.decode(w, logits);                  // logits [windows][T][K]
 * }</pre>
 *
 * <p>Per window: constrained Viterbi in double precision ({@link CrfMath#viterbi}); per text: the
 * window paths stitched by {@link SlidingWindows#owners}, repaired to IOB2 ({@link Iob#repair}),
 * mapped to characters and entities ({@link LabelAligner}). Each entity's {@link Entity#score()} is
 * the CRF probability of its token span ({@link ForwardBackward#entityProbability(int, int, int,
 * int, int, int)}) in the window that holds the whole span with the most context on both sides
 * (ties to the earlier window), read on that window's content tokens ([CLS] and [SEP] not read):
 * {@code P(y_s = B-T, y_{s+1..e} = I-T, y_{e+1} != I-T)} plus, when the window's first token is
 * the span's first, the chance that an {@code I-T} there is repaired into {@code B-T}. Under the
 * IOB2 constraints the model decodes with, that is the probability that the model labels exactly
 * this span as one entity of this type. An entity that no single window holds (longer than the
 * windows' overlap) gets the probability of its part in the window owning its first token. The
 * character entity takes the score of the token span it comes from (the one whose first token
 * starts where the entity starts). Scores are read at the decoder's {@link #temperature()} (the
 * model's fitted {@link NerModel#scoreTemperature()}; 1 for a model that was not calibrated).
 *
 * <p>Immutable and thread-safe.
 */
public final class NerDecoder {

    private final NerInputs inputs;
    private final CrfParameters params;
    private final double temperature;

    /**
     * A decoder whose entity scores are read at temperature 1.
     *
     * @param inputs the model's tokenizer, labels and windowing
     * @param params the CRF scores decoding uses (forbidden moves {@code -inf} or a large negative
     *     number, e.g. the exported {@value io.github.bert4j.ner.crf.TransitionConstraints#FORBIDDEN})
     */
    public NerDecoder(NerInputs inputs, CrfParameters params) {
        this(inputs, params, 1.0);
    }

    /**
     * @param temperature the temperature of the entity scores ({@link ForwardBackward#of(double[][],
     *     int, CrfParameters, double)}); it changes scores only, never tags or entities. A model's
     *     fitted value is {@link NerModel#scoreTemperature()} ({@code score_temperature} in its
     *     {@code labels.json})
     */
    public NerDecoder(NerInputs inputs, CrfParameters params, double temperature) {
        if (params.numTags() != inputs.tags().size()) {
            throw new IllegalArgumentException("CRF scores have " + params.numTags() + " labels, the model's inputs "
                    + inputs.tags().size());
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("score temperature must be positive and finite, got " + temperature);
        }
        this.inputs = inputs;
        this.params = params;
        this.temperature = temperature;
    }

    /** This decoder with entity scores read at {@code temperature}. */
    public NerDecoder withTemperature(double temperature) {
        return new NerDecoder(inputs, params, temperature);
    }

    /** The temperature entity scores are read at. */
    public double temperature() {
        return temperature;
    }

    /**
     * The decoder of a model: its inputs, its CRF with its constraints as {@code -inf}, and its
     * score temperature.
     */
    public static NerDecoder of(NerModel model) {
        BertCrfTagger t = model.tagger();
        return new NerDecoder(model.inputs(), t.crf().decodingParameters(t.headParameters()), model.scoreTemperature());
    }

    /**
     * A decoder from ONNX Runtime's outputs of an {@link NerOnnxExport} model: {@code
     * crf_start_transitions [K]}, {@code crf_transitions [K][K]} and {@code crf_end_transitions
     * [K]}, as {@code OnnxTensor.getValue()} returns them. Scores are read at temperature 1; for
     * the exported model's calibrated scores add {@code .withTemperature(t)} with the
     * {@code score_temperature} of its {@code labels.json}.
     */
    public static NerDecoder ofOnnx(NerInputs inputs, float[] start, float[][] transitions, float[] end) {
        double[][] t = new double[transitions.length][];
        for (int i = 0; i < t.length; i++) {
            t[i] = toDouble(transitions[i]);
        }
        return new NerDecoder(inputs, new CrfParameters(toDouble(start), t, toDouble(end)));
    }

    public NerInputs inputs() {
        return inputs;
    }

    /**
     * Texts cut into model windows.
     *
     * @param texts the texts and their encodings and windows
     * @param ids per window, in text order, {@code [CLS] tokens [SEP]}: the model input (unpadded)
     * @param first {@code first[s]} is the index of text {@code s}'s first window; its windows are
     *     {@code first[s] .. first[s+1]-1} ({@code first} has one more entry than {@code texts})
     */
    public record Windows(List<NerInputs.Prepared> texts, List<int[]> ids, int[] first) {
        /** The number of windows. */
        public int size() {
            return ids.size();
        }

        /** The input ids of window {@code i}. */
        public int[] ids(int i) {
            return ids.get(i);
        }
    }

    /** Tokenizes the texts and cuts them into windows (every text has at least one). */
    public Windows windows(List<String> texts) {
        List<NerInputs.Prepared> prepared = new ArrayList<>(texts.size());
        List<int[]> ids = new ArrayList<>();
        int[] first = new int[texts.size() + 1];
        for (int s = 0; s < texts.size(); s++) {
            NerInputs.Prepared p = inputs.prepare(texts.get(s));
            prepared.add(p);
            first[s] = ids.size();
            for (SlidingWindows.Window w : p.windows()) {
                ids.add(inputs.windowIds(p, w));
            }
        }
        first[texts.size()] = ids.size();
        return new Windows(List.copyOf(prepared), List.copyOf(ids), first);
    }

    /**
     * Decodes windows from float emissions as ONNX Runtime returns {@code logits}: {@code
     * logits[i]} is window {@code i}'s {@code [T][K]} (T at least its length; padded steps are not
     * read).
     */
    public List<TaggedSentence> decode(Windows windows, float[][][] logits) {
        if (logits.length != windows.size()) {
            throw new IllegalArgumentException(logits.length + " rows of logits for " + windows.size() + " windows");
        }
        Decoding d = new Decoding(windows);
        for (int i = 0; i < logits.length; i++) {
            int n = windows.ids(i).length;
            if (logits[i].length < n) {
                throw new IllegalArgumentException("logits of window " + i + " have " + logits[i].length
                        + " steps, the window " + n);
            }
            double[][] e = new double[n][];
            for (int t = 0; t < n; t++) {
                e[t] = toDouble(logits[i][t]);
            }
            d.add(i, e);
        }
        return d.sentences();
    }

    /** Decodes windows: {@code emissions.get(i)} is window {@code i}'s {@code [T][K]}, T at least its length. */
    public List<TaggedSentence> decode(Windows windows, List<double[][]> emissions) {
        if (emissions.size() != windows.size()) {
            throw new IllegalArgumentException(emissions.size() + " emission arrays for " + windows.size() + " windows");
        }
        Decoding d = new Decoding(windows);
        for (int i = 0; i < emissions.size(); i++) {
            d.add(i, emissions.get(i));
        }
        return d.sentences();
    }

    /** A decoding of these windows fed window by window (as {@link NerPredictor} computes emissions batch by batch). */
    Decoding start(Windows windows) {
        return new Decoding(windows);
    }

    /**
     * Decoding in progress: windows arrive in any order ({@link #add}); a text is decoded as soon as
     * all its windows are in, and only its unfinished windows' emissions are kept.
     */
    final class Decoding {
        private final Windows windows;
        private final int[] sentenceOf;
        private final int[] missing;
        private final int[][] paths;
        private final double[][][] emissions;
        private final TaggedSentence[] done;

        Decoding(Windows windows) {
            this.windows = windows;
            int texts = windows.texts().size();
            sentenceOf = new int[windows.size()];
            missing = new int[texts];
            for (int s = 0; s < texts; s++) {
                missing[s] = windows.first()[s + 1] - windows.first()[s];
                Arrays.fill(sentenceOf, windows.first()[s], windows.first()[s + 1], s);
            }
            paths = new int[windows.size()][];
            emissions = new double[windows.size()][][];
            done = new TaggedSentence[texts];
        }

        /** Window {@code i}'s emissions {@code [T][K]}, T at least the window's length. */
        void add(int i, double[][] e) {
            if (paths[i] != null) {
                throw new IllegalStateException("window " + i + " decoded twice");
            }
            int n = windows.ids(i).length;
            if (e.length < n) {
                throw new IllegalArgumentException("emissions of window " + i + " have " + e.length + " steps, the window " + n);
            }
            paths[i] = CrfMath.viterbi(e, n, params).path();
            emissions[i] = e;
            int s = sentenceOf[i];
            if (--missing[s] == 0) {
                done[s] = finish(s);
                Arrays.fill(emissions, windows.first()[s], windows.first()[s + 1], null);
            }
        }

        List<TaggedSentence> sentences() {
            for (int s = 0; s < done.length; s++) {
                if (done[s] == null) {
                    throw new IllegalStateException("text " + s + " has " + missing[s] + " windows not decoded");
                }
            }
            return List.of(done);
        }

        private TaggedSentence finish(int s) {
            TagSet tags = inputs.tags();
            NerInputs.Prepared p = windows.texts().get(s);
            int base = windows.first()[s];
            List<SlidingWindows.Window> wins = p.windows();
            int n = p.encoding().length();
            int[] owners = SlidingWindows.owners(n, wins);
            String[] tokenTags = new String[n];
            for (int t = 0; t < n; t++) {
                tokenTags[t] = tags.label(paths[base + owners[t]][t - wins.get(owners[t]).start() + 1]);
            }
            Iob.repair(tokenTags);
            List<String> charTags = LabelAligner.charTags(p.text(), p.encoding(), tokenTags);
            List<Entity> plain = LabelAligner.entities(p.text(), charTags);
            List<Entity> scored = new ArrayList<>(plain.size());
            if (!plain.isEmpty()) {
                List<Iob.Span> spans = Iob.spans(Arrays.asList(tokenTags));
                ForwardBackward[] fb = new ForwardBackward[wins.size()];
                for (Entity e : plain) {
                    Iob.Span span = spanOf(e, spans, p.encoding());
                    scored.add(span == null ? e : e.withScore(score(span, s, owners, fb)));
                }
            }
            return new TaggedSentence(p.text(), p.encoding(), tokenTags, charTags, List.copyOf(scored));
        }

        /** The token span a character entity comes from: same type, first token starting where it starts. */
        private Iob.Span spanOf(Entity e, List<Iob.Span> spans, Encoding enc) {
            for (Iob.Span s : spans) {
                if (s.type().equals(e.type()) && enc.starts()[s.start()] == e.start()) {
                    return s;
                }
            }
            for (Iob.Span s : spans) { // not met with tokenizers seen so far; kept as a fallback: overlap
                if (s.type().equals(e.type()) && enc.starts()[s.start()] < e.end() && enc.ends()[s.end() - 1] > e.start()) {
                    return s;
                }
            }
            return null;
        }

        private double score(Iob.Span span, int s, int[] owners, ForwardBackward[] fb) {
            List<SlidingWindows.Window> wins = windows.texts().get(s).windows();
            int best = -1;
            int bestMargin = -1;
            for (int w = 0; w < wins.size(); w++) {
                SlidingWindows.Window win = wins.get(w);
                if (win.start() <= span.start() && span.end() <= win.end()) {
                    int margin = Math.min(span.start() - win.start(), win.end() - span.end());
                    if (margin > bestMargin) {
                        bestMargin = margin;
                        best = w;
                    }
                }
            }
            if (best < 0) {
                best = owners[span.start()];
            }
            SlidingWindows.Window win = wins.get(best);
            int i = windows.first()[s] + best;
            if (fb[best] == null) {
                fb[best] = ForwardBackward.of(emissions[i], windows.ids(i).length, params, temperature);
            }
            TagSet tags = inputs.tags();
            int from = span.start() - win.start() + 1;
            int to = Math.min(span.end(), win.end()) - win.start() + 1;
            return fb[best].entityProbability(from, to, tags.begin(span.type()), tags.inside(span.type()), 1,
                    win.length() + 1);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
