package io.github.bert4j.ner;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.tokenizer.EncodingJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Named-entity recognition with a trained model directory.
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
 * NerDecoder}).
 *
 * <p>Thread-safe: calls may come from several threads (the model's forward pass is serialised).
 * Texts of any length are handled through sliding windows. Offsets are UTF-16 indices into the
 * given text.
 */
public final class NerPredictor implements AutoCloseable {

    private static final int BATCH = 32;

    private final NerModel model;

    public NerPredictor(NerModel model) {
        this.model = model;
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
        return model.tag(List.of(text), BATCH).get(0).entities();
    }

    /** The entities of each text. */
    public List<List<Entity>> predictBatch(List<String> texts) {
        return model.tag(texts, BATCH).stream().map(TaggedSentence::entities).toList();
    }

    /** Full taggings (tokens, token tags, character tags, entities). */
    public List<TaggedSentence> tag(List<String> texts) {
        return model.tag(texts, BATCH);
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
