package io.github.bert4j.ner;

import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.eval.NerReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code bert4j evaluate-ner}: KLUE metrics of a model directory on a KLUE-format file. */
public final class NerEvaluation {

    private NerEvaluation() {
    }

    /** Reads {@code tsv} with the model's labels, tags it and scores it ({@link NerReport#toJson()}). */
    public static NerReport run(Path modelDir, Path tsv) throws IOException {
        try (NerModel model = NerModel.load(modelDir)) {
            List<NerSentence> gold = KlueNerReader.readAll(tsv, model.tags());
            return NerValidation.evaluate(model, gold, 64);
        }
    }
}
