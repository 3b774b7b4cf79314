package io.github.bert4j.ner;

import io.github.bert4j.core.train.Evaluator;
import io.github.bert4j.ner.align.LabelAligner;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.eval.KlueMetrics;
import io.github.bert4j.ner.eval.KlueReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on gold sentences: tags them (inference mode, sliding windows, constrained
 * Viterbi) and scores them with {@link KlueMetrics}. {@link #score(Path, Path)} is what {@code
 * bert4j evaluate-ner} runs. As a trainer {@link Evaluator} it reports {@code loss} (mean CRF NLL
 * per window), {@code entity_macro_f1}, {@code entity_micro_f1}, {@code char_macro_f1}, {@code
 * char_macro_f1_with_o}, {@code token_micro_f1}, {@code token_macro_f1}, {@code entity_score_ece}
 * (the expected calibration error of the entity scores, {@link io.github.bert4j.ner.eval.Reliability})
 * and {@code <TYPE>_f1} per entity type (the trainer prefixes {@code valid_}).
 */
public final class NerScorer implements Evaluator {

    /** The batch size of {@link #score(Path, Path)}. */
    static final int FILE_BATCH_SIZE = 64;

    private final NerModel model;
    private final List<NerSentence> sentences;
    private final int batchSize;

    /** Scores {@code model} on {@code sentences}, windows batched {@code batchSize} at a time. */
    public NerScorer(NerModel model, List<NerSentence> sentences, int batchSize) {
        this.model = model;
        this.sentences = List.copyOf(sentences);
        this.batchSize = batchSize;
    }

    /** Scores the model on the sentences. */
    public static KlueReport score(NerModel model, List<NerSentence> sentences, int batchSize) {
        return new NerScorer(model, sentences, batchSize).run().report;
    }

    /**
     * Loads model directory {@code modelDir}, reads KLUE-format file {@code tsv} with the model's
     * labels, tags it and scores it ({@link KlueReport#toJson()}): {@code bert4j evaluate-ner}.
     */
    public static KlueReport score(Path modelDir, Path tsv) throws IOException {
        try (NerModel model = NerModel.load(modelDir)) {
            List<NerSentence> gold = KlueNerReader.readAll(tsv, model.tags());
            return score(model, gold, FILE_BATCH_SIZE);
        }
    }

    private record Result(KlueReport report, double loss) {}

    private Result run() {
        List<String> texts = sentences.stream().map(NerSentence::text).toList();
        NerPredictor.Tagging t = new NerPredictor(model).tagAndScore(texts, sentences, batchSize);
        KlueMetrics metrics = new KlueMetrics(model.tags());
        for (int i = 0; i < sentences.size(); i++) {
            NerSentence gold = sentences.get(i);
            TaggedSentence pred = t.sentences().get(i);
            metrics.addCharacters(gold.text(), gold.charTags(), pred.charTags());
            String[] goldTokens = LabelAligner.tokenTags(gold.text(), gold.charTags(), pred.encoding());
            metrics.addTokens(Arrays.asList(goldTokens), Arrays.asList(pred.tokenTags()));
            metrics.addEntities(LabelAligner.entities(gold.text(), gold.charTags()), pred.entities());
        }
        return new Result(metrics.report(), t.meanNll());
    }

    @Override
    public Map<String, Double> evaluate() {
        Result r = run();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", r.loss());
        m.putAll(r.report().asMetrics());
        m.put("entity_score_ece", r.report().reliability().expectedCalibrationError());
        r.report().perType().forEach((type, prf) -> m.put(type + "_f1", prf.f1()));
        return m;
    }
}
