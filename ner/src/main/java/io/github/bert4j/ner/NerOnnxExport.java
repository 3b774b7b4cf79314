package io.github.bert4j.ner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.onnx.OnnxExport;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.crf.TransitionConstraints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exports an NER model directory (BERT + linear + CRF) as one ONNX model: the encoder's outputs
 * ({@link OnnxExport}), the token-classification {@code logits [batch, sequence, labels]} (the CRF's
 * emission scores; feed {@code token_type_ids} as zeros, as bert4j tags) and the CRF's scores as
 * constant outputs, so that any consumer can run Viterbi and get bert4j's tags:
 * <ul>
 *   <li>{@code crf_transitions [labels, labels]}: score of label j following label i at {@code [i][j]};</li>
 *   <li>{@code crf_start_transitions [labels]}, {@code crf_end_transitions [labels]}: scores of the
 *       first and last label.</li>
 * </ul>
 * A path y over the n positions where {@code attention_mask} is 1 ({@code [CLS]} and {@code [SEP]}
 * included) scores {@code start[y0] + Σ logits[t, yt] + Σ transitions[y(t-1), yt] + end[y(n-1)]};
 * the tags are the highest-scoring path. IOB2 constraints, when the model has them, are already in
 * these scores: a forbidden move carries {@value TransitionConstraints#FORBIDDEN}. The labels come
 * in the model's metadata ({@code id2label}, and {@code labels.json} verbatim, which also gives the
 * window {@code max_length} and {@code stride} bert4j tags long texts with).
 */
public final class NerOnnxExport {
    public static final String TRANSITIONS = "crf_transitions";
    public static final String START = "crf_start_transitions";
    public static final String END = "crf_end_transitions";

    private NerOnnxExport() {}

    /** Whether {@code dir} is an NER model directory (it has {@code labels.json}). */
    public static boolean isNerModel(Path dir) {
        return Files.isRegularFile(dir.resolve(NerModel.LABELS_FILE));
    }

    /** Writes {@code modelDir} (an NER model directory) to {@code output}. */
    public static void write(Path modelDir, Path output) throws IOException {
        try (NerModel model = NerModel.load(modelDir)) {
            BertCrfTagger tagger = model.tagger();
            CrfParameters p = tagger.crf().penalised(CrfParameters.from(tagger.headParameters()));
            Map<String, String> id2label = new LinkedHashMap<>();
            List<String> labels = model.tags().labels();
            for (int i = 0; i < labels.size(); i++) {
                id2label.put(Integer.toString(i), labels.get(i));
            }
            OnnxExport.of(tagger.encoder())
                    .head(OnnxExport.Head.TOKEN_CLASSIFICATION, tagger.headParameters().get(BertCrfTagger.CLASSIFIER_WEIGHT),
                            tagger.headParameters().get(BertCrfTagger.CLASSIFIER_BIAS))
                    .constantOutput(TRANSITIONS, Nd4j.create(p.transitions()).castTo(DataType.FLOAT),
                            "CRF transition scores: [i][j] scores label j right after label i (forbidden moves "
                                    + TransitionConstraints.FORBIDDEN + ")")
                    .constantOutput(START, Nd4j.createFromArray(p.start()).castTo(DataType.FLOAT),
                            "CRF scores of the first label (at [CLS])")
                    .constantOutput(END, Nd4j.createFromArray(p.end()).castTo(DataType.FLOAT),
                            "CRF scores of the last label (at the final [SEP])")
                    .metadata("id2label", new ObjectMapper().writeValueAsString(id2label))
                    .metadata("labels.json", Files.readString(modelDir.resolve(NerModel.LABELS_FILE)))
                    .docString("BERT + linear + CRF token classifier exported by bert4j: run Viterbi over logits with "
                            + "crf_start_transitions, crf_transitions and crf_end_transitions to get the tags")
                    .write(output);
        }
    }
}
