package io.github.bert4j.ner;

import io.github.bert4j.core.train.Evaluator;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.eval.NerEvaluator;
import io.github.bert4j.ner.eval.NerReport;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a model on gold sentences: tags them (inference mode, sliding windows, constrained
 * Viterbi) and scores them with {@link NerEvaluator}. As a trainer {@link Evaluator} it reports
 * {@code loss} (mean CRF NLL per window), {@code entity_macro_f1}, {@code entity_micro_f1},
 * {@code char_macro_f1}, {@code char_macro_f1_with_o}, {@code token_micro_f1}, {@code
 * token_macro_f1}, {@code entity_score_ece} (the expected calibration error of the entity scores,
 * {@link io.github.bert4j.ner.eval.Reliability}) and {@code <TYPE>_f1} per entity type (the
 * trainer prefixes {@code valid_}).
 */
public final class NerValidation implements Evaluator {

    private final NerModel model;
    private final List<NerSentence> sentences;
    private final int batchSize;

    public NerValidation(NerModel model, List<NerSentence> sentences, int batchSize) {
        this.model = model;
        this.sentences = List.copyOf(sentences);
        this.batchSize = batchSize;
    }

    /** Scores the model on the sentences. */
    public static NerReport evaluate(NerModel model, List<NerSentence> sentences, int batchSize) {
        return new NerValidation(model, sentences, batchSize).run().report;
    }

    private record Result(NerReport report, double loss) {}

    private Result run() {
        List<String> texts = sentences.stream().map(NerSentence::text).toList();
        NerModel.Tagging t = model.tagAndScore(texts, sentences, batchSize);
        NerEvaluator ev = new NerEvaluator(model.tags());
        for (int i = 0; i < sentences.size(); i++) {
            NerSentence gold = sentences.get(i);
            TaggedSentence pred = t.sentences().get(i);
            ev.addCharacters(gold.text(), gold.charTags(), pred.charTags());
            String[] goldTokens = io.github.bert4j.ner.align.LabelAligner.tokenTags(gold.text(), gold.charTags(),
                    pred.encoding());
            ev.addTokens(Arrays.asList(goldTokens), Arrays.asList(pred.tokenTags()));
            ev.addEntities(io.github.bert4j.ner.align.LabelAligner.entities(gold.text(), gold.charTags()), pred.entities());
        }
        return new Result(ev.report(), t.meanNll());
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
