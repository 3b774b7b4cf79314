/**
 * Named-entity recognition with BERT + CRF, KLUE style.
 *
 * <ul>
 *   <li>{@link io.github.bert4j.ner.crf} — the linear-chain CRF: {@code CrfMath} (double-precision
 *       forward algorithm, forward-backward gradient, Viterbi), {@code ForwardBackward} (tag
 *       marginals, entity-span probabilities), {@code LinearChainCrf} (the same as a
 *       SameDiff graph, pytorch-crf semantics), {@code TransitionConstraints} (IOB2).</li>
 *   <li>{@link io.github.bert4j.ner.data} — KLUE NER files ({@code KlueNerReader}/{@code
 *       KlueNerWriter}, byte-identical round trip), {@code NerSentence}, {@code TagSet}, {@code
 *       NerSplits} (3,200/800 by {@code i % 5 == 4}).</li>
 *   <li>{@link io.github.bert4j.ner.align} — character tags ↔ token tags through the tokenizer's
 *       offsets ({@code LabelAligner}), sliding windows for long sentences, {@code Entity}.</li>
 *   <li>{@link io.github.bert4j.ner.eval} — KLUE's metrics ({@code KlueMetrics}, {@code KlueReport}),
 *       the calibration of entity scores ({@code Reliability}, {@code ReliabilityPlot}).</li>
 *   <li>This package — {@code BertCrfTagger} (encoder → dropout → classifier → CRF, a core {@code
 *       TrainableModel}), {@code NerModel} (tagger + tokenizer + labels = a model directory),
 *       {@code NerPredictor} (entities with their CRF probability), {@code NerDecoder} (emissions of
 *       windows → tags and scored entities, also from ONNX Runtime's outputs), {@code NerScorer} (a
 *       model's KLUE metrics on gold sentences: {@code evaluate-ner}, and the trainer's evaluator)
 *       and {@code NerFineTuning} ({@code finetune-ner}) with {@code NerConfig}.</li>
 * </ul>
 */
package io.github.bert4j.ner;
