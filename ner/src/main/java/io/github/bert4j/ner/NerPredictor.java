package io.github.bert4j.ner;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.align.Iob;
import io.github.bert4j.ner.align.LabelAligner;
import io.github.bert4j.ner.align.SlidingWindows;
import io.github.bert4j.ner.crf.CrfMath;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.ner.eval.TemperatureScaling;
import io.github.bert4j.tokenizer.EncodingJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Named-entity recognition with a trained model directory ({@link NerModel}): texts → sliding
 * windows → emissions (batched by length) → {@link NerDecoder} → tags and scored entities.
 *
 * <pre>{@code
 * try (NerPredictor ner = NerPredictor.load(Path.of("models/klue-ner"))) {
 *     List<Entity> e = ner.predict("이순신은 조선 중기의 무신이다.");
 *     // [Entity[type=PS, start=0, end=3, text=이순신, score=0.98...], ...]
 * }
 * }</pre>
 *
 * <p>Every predicted entity carries a {@link Entity#score() score}: the CRF's probability that
 * exactly its tokens form one entity of its type, from the forward-backward marginals (see {@link
 * NerDecoder}), read at the model's {@link NerModel#scoreTemperature() score temperature}, which
 * {@link #fitScoreTemperature} fits on gold sentences.
 *
 * <p>Thread-safe: calls may come from several threads (the model's forward pass is serialised).
 * Texts of any length are handled through sliding windows. Offsets are UTF-16 indices into the
 * given text.
 */
public final class NerPredictor implements AutoCloseable {

    private static final int BATCH = 32;

    private final NerModel model;

    /**
     * A predictor over {@code model}. It holds nothing but the model: closing it closes the model,
     * and one made over a model that its owner closes need not be closed.
     */
    public NerPredictor(NerModel model) {
        this.model = java.util.Objects.requireNonNull(model, "model");
    }

    /**
     * @throws NerModelException for an empty or incomplete directory or a tokenizer that does not
     *     fit the model
     */
    public static NerPredictor load(Path modelDir) {
        return new NerPredictor(NerModel.load(modelDir));
    }

    public NerModel model() {
        return model;
    }

    /** The entities of one text, in order of position. */
    public List<Entity> predict(String text) {
        return tag(List.of(text), BATCH).get(0).entities();
    }

    /** The entities of each text. */
    public List<List<Entity>> predictBatch(List<String> texts) {
        return tag(texts, BATCH).stream().map(TaggedSentence::entities).toList();
    }

    /** Full taggings (tokens, token tags, character tags, entities), windows batched 32 at a time. */
    public List<TaggedSentence> tag(List<String> texts) {
        return tag(texts, BATCH);
    }

    /** Full taggings; windows are batched by length, {@code batchSize} at a time. */
    public List<TaggedSentence> tag(List<String> texts, int batchSize) {
        return tagAndScore(texts, null, batchSize).sentences();
    }

    /**
     * Fits the score temperature on gold sentences that training did not see (a validation split):
     * the {@link TemperatureScaling} temperature that minimises the log loss of the predicted
     * entities' scores against exact match with a gold entity (type, start, end). One pass of the
     * encoder; the decoding is repeated per candidate temperature. The model is not changed: pass
     * the result to {@link NerModel#setScoreTemperature}. 1 when the sentences yield no scored
     * entity.
     */
    public double fitScoreTemperature(List<NerSentence> gold, int batchSize) {
        NerDecoder decoder = NerDecoder.of(model);
        NerDecoder.Windows windows = decoder.windows(gold.stream().map(NerSentence::text).toList());
        List<double[][]> rows = new ArrayList<>(Collections.nCopies(windows.size(), (double[][]) null));
        emissions(windows, null, batchSize, rows::set);
        // the entities (and so their outcomes) are the same at every temperature; only scores change
        List<TaggedSentence> tagged = decoder.decode(windows, rows);
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < tagged.size(); i++) {
            Set<List<Object>> g = new HashSet<>();
            for (Entity e : LabelAligner.entities(gold.get(i).text(), gold.get(i).charTags())) {
                g.add(List.of(e.type(), e.start(), e.end()));
            }
            for (Entity e : tagged.get(i).entities()) {
                if (e.hasScore()) outcomes.add(g.contains(List.of(e.type(), e.start(), e.end())));
            }
        }
        if (outcomes.isEmpty()) {
            return 1.0;
        }
        boolean[] correct = new boolean[outcomes.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = outcomes.get(i);
        }
        return TemperatureScaling.fit(t -> TemperatureScaling.logLoss(
                entityScores(decoder.withTemperature(t).decode(windows, rows)), correct));
    }

    /** The scores of the scored entities, sentence by sentence in order. */
    private static double[] entityScores(List<TaggedSentence> tagged) {
        return tagged.stream().flatMap(t -> t.entities().stream()).filter(Entity::hasScore)
                .mapToDouble(Entity::score).toArray();
    }

    /** Tagging plus, when gold sentences are given, the mean CRF NLL of their windows. */
    record Tagging(List<TaggedSentence> sentences, double meanNll) {}

    /** Tags {@code texts}; with their {@code gold} sentences (else null) also the windows' mean CRF NLL ({@link NerScorer}). */
    Tagging tagAndScore(List<String> texts, List<NerSentence> gold, int batchSize) {
        TagSet tags = model.tags();
        NerDecoder decoder = NerDecoder.of(model);
        NerDecoder.Windows windows = decoder.windows(texts);
        List<int[]> windowGold = new ArrayList<>();
        if (gold != null) {
            for (int s = 0; s < texts.size(); s++) {
                NerInputs.Prepared p = windows.texts().get(s);
                String[] goldTags = model.inputs().goldTokenTags(gold.get(s), p);
                for (SlidingWindows.Window win : p.windows()) {
                    String[] wt = Iob.repair(Arrays.copyOfRange(goldTags, win.start(), win.end()));
                    int[] t = new int[win.length() + 2];
                    Arrays.fill(t, tags.outside());
                    for (int i = 0; i < wt.length; i++) {
                        t[i + 1] = tags.index(wt[i]);
                    }
                    windowGold.add(t);
                }
            }
        }
        NerDecoder.Decoding decoding = decoder.start(windows);
        double nllSum = emissions(windows, gold == null ? null : windowGold, batchSize, decoding::add);
        return new Tagging(decoding.sentences(), windows.size() == 0 ? 0 : nllSum / windows.size());
    }

    /**
     * Computes every window's emissions, batched by length, and hands each window's rows {@code
     * [n][K]} to {@code sink} (window index, rows) in batch order; with gold tags per window also
     * the sum of the windows' CRF NLL (else 0).
     */
    private double emissions(NerDecoder.Windows windows, List<int[]> windowGold, int batchSize,
            BiConsumer<Integer, double[][]> sink) {
        BertCrfTagger tagger = model.tagger();
        TagSet tags = model.tags();
        Integer[] order = new Integer[windows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> windows.ids(i).length));
        double nllSum = 0;
        int pad = model.inputs().tokenizer().vocab().padId();
        int k = tags.size();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<NerExample> chunk = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int[] ids = windows.ids(order[i]);
                chunk.add(new NerExample(ids, windowGold == null ? new int[ids.length] : windowGold.get(order[i])));
            }
            // every native array of the batch is closed here, not left to the garbage collector
            NerBatch batch = NerBatches.batch(chunk, 1, Math.max(pad, 0), tags.outside());
            try (INDArray em = tagger.emissions(batch.inputIds(), batch.attentionMask())) {
                double[] flat = CrfMath.flatDoubles(em);
                int steps = (int) em.size(1);
                for (int i = from; i < to; i++) {
                    int n = windows.ids(order[i]).length;
                    double[][] rows = new double[n][];
                    for (int t = 0; t < n; t++) {
                        int o = ((i - from) * steps + t) * k;
                        rows[t] = Arrays.copyOfRange(flat, o, o + k);
                    }
                    sink.accept(order[i], rows);
                }
                if (windowGold != null) {
                    double[] nll = CrfMath.negativeLogLikelihood(em, batch.tags(), batch.attentionMask(),
                            tagger.crf().penalised(CrfParameters.from(tagger.headParameters())));
                    for (double v : nll) {
                        nllSum += v;
                    }
                }
            } finally {
                batch.close();
            }
        }
        return nllSum;
    }

    /**
     * One JSON object: {@code {"text":..,"entities":[{"type":"PS","start":..,"end":..,"text":..,
     * "score":0.9731}]}} (what {@code bert4j tag} prints per line). The score has 4 decimals and is
     * left out for an entity without one ({@link Entity#hasScore()} false).
     */
    public static String toJson(String text, List<Entity> entities) {
        StringBuilder sb = new StringBuilder("{\"text\":");
        EncodingJson.quote(text, sb);
        sb.append(",\"entities\":[");
        for (int i = 0; i < entities.size(); i++) {
            Entity e = entities.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"type\":");
            EncodingJson.quote(e.type(), sb);
            sb.append(",\"start\":").append(e.start()).append(",\"end\":").append(e.end()).append(",\"text\":");
            EncodingJson.quote(e.text(), sb);
            if (e.hasScore()) {
                sb.append(",\"score\":").append(String.format(Locale.ROOT, "%.4f", e.score()));
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    @Override
    public void close() {
        model.close();
    }
}
