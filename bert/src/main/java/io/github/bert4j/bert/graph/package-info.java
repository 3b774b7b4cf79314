/**
 * The SameDiff graph of the encoder and the graph engine ({@link
 * io.github.bert4j.bert.Engine#GRAPH}).
 *
 * <p>The package-private modules mirror HuggingFace's {@code modeling_bert.py} class by class
 * ({@code BertEmbeddings}, {@code BertLayer} = {@code BertSelfAttention} + {@code BertSelfOutput}
 * + {@code BertIntermediate} + {@code BertOutput}, {@code BertPooler}). {@link
 * io.github.bert4j.bert.graph.EncoderGraph} is the public result of {@link
 * io.github.bert4j.bert.BertEncoder#build}: for SameDiff users who write heads of their own in
 * the graph (placeholders to feed, outputs, gradients by HuggingFace name). {@link
 * io.github.bert4j.bert.graph.GraphEngine} runs the same graph behind the {@link
 * io.github.bert4j.bert.EncoderPass} contract, taking the heads' upstream gradients through
 * placeholders.
 */
package io.github.bert4j.bert.graph;
