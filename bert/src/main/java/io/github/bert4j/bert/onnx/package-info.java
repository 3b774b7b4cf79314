/**
 * ONNX interop: {@link io.github.bert4j.bert.onnx.OnnxExport} writes an encoder (and heads) as an
 * ONNX graph that ONNX Runtime runs; {@link io.github.bert4j.bert.onnx.OnnxImport} reads a
 * HuggingFace-exported ONNX BERT back into a {@link io.github.bert4j.bert.BertEncoder}. Uses the
 * ONNX protobuf classes that ship inside {@code nd4j-api}.
 */
package io.github.bert4j.bert.onnx;
