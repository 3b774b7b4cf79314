/**
 * Heads on an {@link io.github.bert4j.bert.EncoderPass}, each written once with its forward and
 * backward pass and independent of the engine: {@link
 * io.github.bert4j.bert.heads.MaskedLmHead} (masked positions only, decoder tied to the word
 * embeddings), {@link io.github.bert4j.bert.heads.SequenceClassificationHead} (pooled output:
 * NSP, sequence classification), {@link io.github.bert4j.bert.heads.TokenClassificationHead}
 * (hidden states: NER emissions), and their shared blocks {@link
 * io.github.bert4j.bert.heads.LinearClassifier} and {@link
 * io.github.bert4j.bert.heads.SoftmaxCrossEntropy}. A head reads the model's live parameter map
 * and hands back {@code dLoss/dhidden} or {@code dLoss/dpooled} for {@link
 * io.github.bert4j.bert.EncoderPass#backward}.
 */
package io.github.bert4j.bert.heads;
