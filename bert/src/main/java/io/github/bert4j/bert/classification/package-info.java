/**
 * Text classification with {@link io.github.bert4j.bert.BertForSequenceClassification}: from
 * labelled files to a fine-tuned model directory with its report.
 *
 * <ul>
 *   <li>{@code LabelledTextReader} — labelled texts from JSON lines (configurable text and label
 *       fields; the petitions' {@code content} / {@code category} by default) or {@code
 *       text<TAB>label} lines, errors naming file and line; {@code LabelledText}.</li>
 *   <li>{@code ClassificationSplit} — a deterministic train/valid/test split by document (by index,
 *       {@code i % 10 == 3} valid, {@code == 7} test; or test = the documents a pretraining run held
 *       out) and the label set (sorted labels of train).</li>
 *   <li>{@code ClassificationInputs}, {@code ClassificationBatches} — {@code [CLS] text [SEP]} cut
 *       to {@code max_len}, batches padded to their longest sequence, shuffled per epoch by seed (a
 *       core {@code BatchSource}).</li>
 *   <li>{@code ClassificationReport}, {@code ClassificationScorer}, {@code ClassificationPlots} —
 *       accuracy, macro/weighted F1, per-class precision/recall/F1/support, confusion matrix, the
 *       majority-class baseline; the trainer's evaluator; confusion-matrix and class-distribution
 *       PNGs.</li>
 *   <li>{@code ClassificationConfig}, {@code ClassificationFineTuning} — the YAML config and the run
 *       ({@code bert4j finetune-classifier}): core {@code Trainer}, best checkpoint by valid macro
 *       F1, MLflow tracking, test read only at the end; {@code TextClassifier} — a model directory
 *       ready to classify ({@code bert4j classify}).</li>
 * </ul>
 */
package io.github.bert4j.bert.classification;
