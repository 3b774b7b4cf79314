package io.github.bert4j.bert.onnx;

import static io.github.bert4j.bert.onnx.GraphWriter.floatAttr;
import static io.github.bert4j.bert.onnx.GraphWriter.intAttr;
import static io.github.bert4j.bert.onnx.GraphWriter.ints;
import static io.github.bert4j.bert.onnx.GraphWriter.value;

import io.github.bert4j.bert.BertCheckpoint;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a BERT encoder (and optionally a classification head) as one ONNX model that ONNX Runtime,
 * and any other ONNX consumer, runs as bert4j computes it.
 *
 * <p>The graph (opset {@value #OPSET}, IR version {@value #IR_VERSION}, float32):
 * <ul>
 *   <li>inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids}: int64 {@code
 *       [batch, sequence]} (both axes dynamic);</li>
 *   <li>outputs {@code last_hidden_state} {@code [batch, sequence, hidden]} and {@code
 *       pooler_output} {@code [batch, hidden]} (tanh of the dense pooler on the first token); with a
 *       head also {@code logits}: {@code [batch, sequence, labels]} for token classification, {@code
 *       [batch, labels]} for sequence classification (on the pooled output, as {@code
 *       BertForSequenceClassification}); and any constant outputs added with {@link
 *       Builder#constantOutput};</li>
 *   <li>GELU in its exact erf form ({@code hidden_act} {@code gelu}; the tanh form for {@code
 *       gelu_new} / {@code gelu_pytorch_tanh}; {@code relu}), {@code LayerNormalization} with the
 *       config's {@code layer_norm_eps}, and the padding mask as bert4j adds it: {@code (1 -
 *       attention_mask) * -10000} on the scores of padded keys.</li>
 * </ul>
 * Initializers keep HuggingFace's parameter names and PyTorch's {@code [out, in]} layout (each
 * weight enters its {@code MatMul} through a {@code Transpose}, which runtimes fold at load), so
 * {@link OnnxImport} reads the same bits back. The model's {@code metadata_props} carry the
 * {@code config.json} text ({@code bert4j.config}) and whatever the caller adds.
 */
public final class OnnxExport {
    /** The ONNX operator set the graph uses ({@code LayerNormalization} needs 17). */
    public static final int OPSET = 17;
    /** The IR version written (ONNX 1.12+, opset 17). */
    public static final int IR_VERSION = 8;

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";
    public static final String POOLER_OUTPUT = "pooler_output";
    public static final String LOGITS = "logits";

    /** Metadata key of the encoder's {@code config.json} text. */
    public static final String CONFIG_METADATA = "bert4j.config";

    private OnnxExport() {}

    /** The heads an exported graph may end in. */
    public enum Head { NONE, TOKEN_CLASSIFICATION, SEQUENCE_CLASSIFICATION }

    /** Starts an export of the encoder {@code config} with {@code parameters} by HuggingFace name. */
    public static Builder of(BertConfig config, Map<String, INDArray> parameters) {
        return new Builder(config, parameters);
    }

    /** Starts an export of a live encoder. */
    public static Builder of(BertEncoder encoder) {
        return new Builder(encoder.config(), encoder.parameters());
    }

    /**
     * Exports a model directory: an encoder ({@code config.json} + {@code model.safetensors}) or a
     * sequence classifier (as HuggingFace's {@code BertForSequenceClassification}: {@code
     * classifier.weight [labels, hidden]} and {@code classifier.bias} beside the encoder, labels in
     * {@code config.json}'s {@code id2label}). NER directories (with {@code crf.*} tensors) are
     * exported by the {@code ner} module's {@code NerOnnxExport}.
     */
    public static void modelDirectory(Path dir, Path output) throws IOException {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IOException("not a model directory: " + dir.resolve("config.json") + " does not exist");
        }
        BertConfig config = BertConfig.load(dir);
        Map<String, INDArray> tensors = BertCheckpoint.read(dir, DataType.FLOAT);
        if (tensors.containsKey("crf.transitions")) {
            throw new OnnxFormatException(dir + " is an NER model directory (it has crf.* tensors): export it with "
                    + "io.github.bert4j.ner.NerOnnxExport or `bert4j export-onnx`");
        }
        Builder b = of(config, tensors);
        INDArray w = tensors.get(HfNames.CLASSIFIER_WEIGHT);
        if (w != null) {
            INDArray bias = tensors.get(HfNames.CLASSIFIER_BIAS);
            if (bias == null) {
                throw new OnnxFormatException(dir.resolve(BertCheckpoint.WEIGHTS) + " has " + HfNames.CLASSIFIER_WEIGHT
                        + " but no " + HfNames.CLASSIFIER_BIAS);
            }
            b.head(Head.SEQUENCE_CLASSIFICATION, w, bias);
            Object labels = config.extra().get("id2label");
            if (labels != null) {
                b.metadata("id2label", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(labels));
            }
        }
        b.write(output);
    }

    /** An export in the making; {@link #write} or {@link #build} ends it. */
    public static final class Builder {
        private final BertConfig config;
        private final Map<String, INDArray> parameters;
        private Head head = Head.NONE;
        private INDArray headWeight;
        private INDArray headBias;
        private final Map<String, INDArray> constants = new LinkedHashMap<>();
        private final Map<String, String> constantDocs = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private String docString = "BERT encoder exported by bert4j";

        private Builder(BertConfig config, Map<String, INDArray> parameters) {
            this.config = config;
            this.parameters = parameters;
            Map<String, long[]> shapes = BertEncoder.parameterShapes(config);
            List<String> problems = new ArrayList<>();
            shapes.forEach((name, shape) -> {
                INDArray a = parameters.get(name);
                if (a == null) {
                    problems.add(name + " is missing");
                } else if (!java.util.Arrays.equals(a.shape(), shape)) {
                    problems.add(name + " has shape " + java.util.Arrays.toString(a.shape()) + ", the config expects "
                            + java.util.Arrays.toString(shape));
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("cannot export: " + String.join("; ", problems));
            }
        }

        /** Adds a classification head: {@code weight [labels, hidden]}, {@code bias [labels]}, output {@code logits}. */
        public Builder head(Head kind, INDArray weight, INDArray bias) {
            long h = config.hiddenSize();
            if (weight.rank() != 2 || weight.size(1) != h || bias.length() != weight.size(0)) {
                throw new IllegalArgumentException("classifier must be [labels, " + h + "] with a [labels] bias, got "
                        + java.util.Arrays.toString(weight.shape()) + " and " + java.util.Arrays.toString(bias.shape()));
            }
            this.head = kind;
            this.headWeight = weight;
            this.headBias = bias;
            return this;
        }

        /** A constant tensor exposed as a graph output (e.g. a CRF's transition scores), with its meaning. */
        public Builder constantOutput(String name, INDArray value, String doc) {
            constants.put(name, value);
            constantDocs.put(name, doc);
            return this;
        }

        /** A {@code metadata_props} entry. */
        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        /** The model's {@code doc_string}. */
        public Builder docString(String doc) {
            this.docString = doc;
            return this;
        }

        /** Writes the model to {@code output} atomically. */
        public void write(Path output) throws IOException {
            byte[] bytes = build().toByteArray();
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.write(output, out -> out.write(bytes));
        }

        /** The ONNX model. */
        public Onnx.ModelProto build() {
            GraphWriter g = new GraphWriter("bert4j_bert");
            String x = embeddings(g);
            String mask = additiveMask(g);
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                x = layer(g, l, x, mask);
            }
            g.opTo(LAST_HIDDEN_STATE, "Identity", "/output", List.of(x));
            String cls = g.op("Gather", "/pooler", List.of(x, g.int64("const.zero_scalar", true, 0)), intAttr("axis", 1));
            String pooled = dense(g, "/pooler/dense", cls, HfNames.POOLER_DENSE);
            g.opTo(POOLER_OUTPUT, "Tanh", "/pooler", List.of(pooled));

            Onnx.GraphProto.Builder graph = g.graph();
            graph.addInput(value(INPUT_IDS, Onnx.TensorProto.DataType.INT64, "batch_size", "sequence_length"));
            graph.addInput(value(ATTENTION_MASK, Onnx.TensorProto.DataType.INT64, "batch_size", "sequence_length"));
            graph.addInput(value(TOKEN_TYPE_IDS, Onnx.TensorProto.DataType.INT64, "batch_size", "sequence_length"));
            graph.addOutput(value(LAST_HIDDEN_STATE, Onnx.TensorProto.DataType.FLOAT, "batch_size", "sequence_length",
                    config.hiddenSize()));
            graph.addOutput(value(POOLER_OUTPUT, Onnx.TensorProto.DataType.FLOAT, "batch_size", config.hiddenSize()));
            if (head != Head.NONE) {
                String in = head == Head.TOKEN_CLASSIFICATION ? LAST_HIDDEN_STATE : POOLER_OUTPUT;
                String wt = g.op("Transpose", "/classifier", List.of(g.weight(HfNames.CLASSIFIER_WEIGHT, headWeight)),
                        ints("perm", 1, 0));
                String mm = g.op("MatMul", "/classifier", List.of(in, wt));
                g.opTo(LOGITS, "Add", "/classifier", List.of(mm, g.weight(HfNames.CLASSIFIER_BIAS, headBias)));
                graph.addOutput(head == Head.TOKEN_CLASSIFICATION
                        ? value(LOGITS, Onnx.TensorProto.DataType.FLOAT, "batch_size", "sequence_length", headWeight.size(0))
                        : value(LOGITS, Onnx.TensorProto.DataType.FLOAT, "batch_size", headWeight.size(0)));
            }
            for (Map.Entry<String, INDArray> c : constants.entrySet()) {
                String init = g.weight(c.getKey() + ".value", c.getValue());
                g.opTo(c.getKey(), "Identity", "/constants", List.of(init));
                Object[] dims = java.util.Arrays.stream(c.getValue().shape()).boxed().toArray();
                graph.addOutput(value(c.getKey(), Onnx.TensorProto.DataType.FLOAT, dims).toBuilder()
                        .setDocString(constantDocs.get(c.getKey())).build());
            }
            Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                    .setProducerName("bert4j").setProducerVersion(version()).setDocString(docString)
                    .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                    .setGraph(graph);
            m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(CONFIG_METADATA).setValue(config.toJson()));
            metadata.forEach((k, v) -> m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            return m.build();
        }

        private String embeddings(GraphWriter g) {
            String s = "/embeddings";
            String words = g.op("Gather", s + "/word_embeddings",
                    List.of(g.weight(HfNames.WORD_EMBEDDINGS, parameters.get(HfNames.WORD_EMBEDDINGS)), INPUT_IDS));
            String types = g.op("Gather", s + "/token_type_embeddings",
                    List.of(g.weight(HfNames.TOKEN_TYPE_EMBEDDINGS, parameters.get(HfNames.TOKEN_TYPE_EMBEDDINGS)),
                            TOKEN_TYPE_IDS));
            String shape = g.op("Shape", s, List.of(INPUT_IDS));
            String length = g.op("Gather", s, List.of(shape, g.int64("const.one_scalar", true, 1)), intAttr("axis", 0));
            String positions = g.op("Range", s, List.of(g.int64("const.zero_scalar", true, 0), length,
                    g.int64("const.one_scalar", true, 1)));
            String pos = g.op("Gather", s + "/position_embeddings",
                    List.of(g.weight(HfNames.POSITION_EMBEDDINGS, parameters.get(HfNames.POSITION_EMBEDDINGS)), positions));
            String sum = g.op("Add", s, List.of(g.op("Add", s, List.of(words, types)), pos));
            return layerNorm(g, s + "/LayerNorm", sum, HfNames.EMBEDDINGS + ".LayerNorm");
        }

        private String additiveMask(GraphWriter g) {
            String s = "/mask";
            String m = g.op("Cast", s, List.of(ATTENTION_MASK), intAttr("to", Onnx.TensorProto.DataType.FLOAT.getNumber()));
            String inverted = g.op("Sub", s, List.of(g.scalar("const.one_float", 1f), m));
            String additive = g.op("Mul", s, List.of(inverted, g.scalar("const.mask_value", (float) BertEncoder.MASK_VALUE)));
            return g.op("Unsqueeze", s, List.of(additive, g.int64("const.mask_axes", false, 1, 2))); // [B,1,1,T]
        }

        private String layer(GraphWriter g, int l, String x, String mask) {
            String p = HfNames.layer(l);
            String s = "/encoder/layer." + l;
            long heads = config.numAttentionHeads();
            long d = config.headSize();
            String headShape = g.int64("const.head_shape", false, 0, 0, heads, d);
            String q = g.op("Transpose", s + "/attention/self", List.of(g.op("Reshape", s + "/attention/self",
                    List.of(dense(g, s + "/attention/self/query", x, p + ".attention.self.query"), headShape))),
                    ints("perm", 0, 2, 1, 3));                                                       // [B,h,T,d]
            String k = g.op("Transpose", s + "/attention/self", List.of(g.op("Reshape", s + "/attention/self",
                    List.of(dense(g, s + "/attention/self/key", x, p + ".attention.self.key"), headShape))),
                    ints("perm", 0, 2, 3, 1));                                                       // [B,h,d,T]
            String v = g.op("Transpose", s + "/attention/self", List.of(g.op("Reshape", s + "/attention/self",
                    List.of(dense(g, s + "/attention/self/value", x, p + ".attention.self.value"), headShape))),
                    ints("perm", 0, 2, 1, 3));                                                       // [B,h,T,d]
            String scores = g.op("Mul", s + "/attention/self", List.of(g.op("MatMul", s + "/attention/self", List.of(q, k)),
                    g.scalar("const.attention_scale", (float) (1.0 / Math.sqrt(d)))));           // [B,h,T,T]
            String probs = g.op("Softmax", s + "/attention/self",
                    List.of(g.op("Add", s + "/attention/self", List.of(scores, mask))), intAttr("axis", -1));
            String ctx = g.op("Transpose", s + "/attention/self", List.of(g.op("MatMul", s + "/attention/self",
                    List.of(probs, v))), ints("perm", 0, 2, 1, 3));                                  // [B,T,h,d]
            ctx = g.op("Reshape", s + "/attention/self",
                    List.of(ctx, g.int64("const.merge_shape", false, 0, 0, config.hiddenSize())));
            String att = dense(g, s + "/attention/output/dense", ctx, p + ".attention.output.dense");
            String x1 = layerNorm(g, s + "/attention/output/LayerNorm", g.op("Add", s + "/attention/output", List.of(att, x)),
                    p + ".attention.output.LayerNorm");
            String inter = activation(g, s + "/intermediate/act", dense(g, s + "/intermediate/dense", x1,
                    p + ".intermediate.dense"));
            String out = dense(g, s + "/output/dense", inter, p + ".output.dense");
            return layerNorm(g, s + "/output/LayerNorm", g.op("Add", s + "/output", List.of(out, x1)), p + ".output.LayerNorm");
        }

        /** {@code x·Wᵀ + b} for the Linear named {@code prefix}. */
        private String dense(GraphWriter g, String scope, String x, String prefix) {
            String wt = g.op("Transpose", scope, List.of(g.weight(prefix + ".weight", parameters.get(prefix + ".weight"))),
                    ints("perm", 1, 0));
            return g.op("Add", scope, List.of(g.op("MatMul", scope, List.of(x, wt)),
                    g.weight(prefix + ".bias", parameters.get(prefix + ".bias"))));
        }

        private String layerNorm(GraphWriter g, String scope, String x, String prefix) {
            return g.op("LayerNormalization", scope, List.of(x, g.weight(prefix + ".weight", parameters.get(prefix + ".weight")),
                    g.weight(prefix + ".bias", parameters.get(prefix + ".bias"))),
                    intAttr("axis", -1), floatAttr("epsilon", config.layerNormEps().floatValue()));
        }

        private String activation(GraphWriter g, String scope, String x) {
            switch (config.activation()) {
                case RELU:
                    return g.op("Relu", scope, List.of(x));
                case GELU: {                                      // 0.5·x·(1 + erf(x/√2))
                    String erf = g.op("Erf", scope, List.of(g.op("Div", scope, List.of(x,
                            g.scalar("const.sqrt2", (float) Math.sqrt(2.0))))));
                    return geluTail(g, scope, x, erf);
                }
                case GELU_NEW:
                case GELU_PYTORCH_TANH: {                          // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
                    String cube = g.op("Pow", scope, List.of(x, g.scalar("const.three", 3f)));
                    String inner = g.op("Add", scope, List.of(x, g.op("Mul", scope,
                            List.of(cube, g.scalar("const.gelu_c", 0.044715f)))));
                    String tanh = g.op("Tanh", scope, List.of(g.op("Mul", scope,
                            List.of(inner, g.scalar("const.gelu_k", (float) Math.sqrt(2.0 / Math.PI))))));
                    return geluTail(g, scope, x, tanh);
                }
                default:
                    throw new IllegalArgumentException("hidden_act " + config.hiddenAct() + " has no ONNX form here");
            }
        }

        private static String geluTail(GraphWriter g, String scope, String x, String gate) {
            String onePlus = g.op("Add", scope, List.of(gate, g.scalar("const.one_float", 1f)));
            return g.op("Mul", scope, List.of(g.op("Mul", scope, List.of(x, onePlus)), g.scalar("const.half_float", 0.5f)));
        }
    }

    private static String version() {
        Package p = OnnxExport.class.getPackage();
        return p.getImplementationVersion() == null ? "dev" : p.getImplementationVersion();
    }
}
