package io.github.bert4j.bert.onnx;

import io.github.bert4j.bert.BertCheckpoint;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.HiddenAct;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.HfNames;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads a BERT encoder out of an ONNX model — as HuggingFace {@code transformers}/{@code optimum},
 * sentence-transformers or {@link OnnxExport} write them — into HuggingFace-named parameters and a
 * {@link BertConfig}, so that {@link BertEncoder#load} runs it and it fine-tunes like any bert4j
 * encoder.
 *
 * <p>Parameters are found by the graph's structure, not by initializer names (exports often call
 * the weights {@code onnx::MatMul_1234}, stored {@code [in, out]}): the embedding tables are the
 * {@code Gather}s on {@code input_ids} / {@code token_type_ids} and on the position indices; each
 * dense layer is a {@code MatMul} (or {@code Gemm}) with a constant weight followed by a constant
 * bias {@code Add}; LayerNorms are {@code LayerNormalization} nodes or the decomposed {@code
 * ReduceMean → Sub → Pow → ReduceMean → Add(ε) → Sqrt → Div → Mul(γ) → Add(β)} chain. In graph
 * order they must read: embeddings LayerNorm, then per layer four dense layers (query, key and
 * value told apart by where they enter the attention products), LayerNorm, two dense layers,
 * LayerNorm; then optionally the pooler (dense + {@code Tanh}) and a classifier. The head count
 * comes from the {@code Reshape} that splits the query into heads; {@code hidden_act} from the ops
 * between the feed-forward layers ({@code Erf}: gelu, {@code Tanh}: gelu_new, {@code Relu}).
 * Anything that does not fit fails with an {@link OnnxFormatException} naming it; graphs with
 * ONNX Runtime's fused contrib ops (an "optimized" model) are refused.
 */
public final class OnnxImport {

    private OnnxImport() {}

    /** What an import found: the config, the tensors by HF name, the head and notes for the model card. */
    public record Result(BertConfig config, Map<String, INDArray> tensors, OnnxExport.Head head, List<String> notes) {}

    /** Reads and maps {@code onnxFile}. */
    public static Result read(Path onnxFile) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnxFile);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(onnxFile.toString(), null, "no such ONNX file");
        }
        return parse(bytes, onnxFile.toString());
    }

    /** Maps an ONNX model given as bytes; {@code source} names it in errors. */
    public static Result parse(byte[] bytes, String source) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(source + ": not a readable ONNX model (" + e.getMessage()
                    + "); is the file truncated?", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new OnnxFormatException(source + ": not an ONNX model with a graph (no nodes)");
        }
        return new Mapper(new OnnxGraph(source, model.getGraph())).map();
    }

    /**
     * Imports {@code onnxFile} into a new model directory {@code output} ({@code config.json}, {@code
     * model.safetensors}, {@code README.md}, and {@code tokenizer.json} + {@code vocab.txt} when
     * {@code tokenizerJson} is given), written as one atomic step: on any error nothing is left.
     */
    public static Result toModelDirectory(Path onnxFile, Path tokenizerJson, Path output) throws IOException {
        Result r = read(onnxFile);
        Tokenizer tok = null;
        BertConfig config = r.config();
        if (tokenizerJson != null) {
            tok = Tokenizer.load(tokenizerJson);
            if (tok.vocab().size() != config.vocabSize()) {
                throw new OnnxFormatException(tokenizerJson + " has " + tok.vocab().size() + " tokens but the word "
                        + "embeddings of " + onnxFile + " have " + config.vocabSize() + " rows: not this model's tokenizer");
            }
            int pad = tok.vocab().padId();
            if (pad >= 0 && pad != config.padTokenId()) {
                config = withPad(config, pad);
            }
        }
        Path abs = output.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        BertConfig cfg = config;
        Tokenizer t = tok;
        AtomicFiles.writeDirectory(abs, dir -> {
            cfg.save(dir);
            BertCheckpoint.write(dir, r.tensors());
            if (t != null) {
                t.save(dir);
            }
            AtomicFiles.writeString(dir.resolve("README.md"), card(onnxFile, cfg, r));
        });
        return new Result(config, r.tensors(), r.head(), r.notes());
    }

    private static BertConfig withPad(BertConfig c, int pad) {
        return new BertConfig(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                c.intermediateSize(), c.hiddenAct(), c.hiddenDropoutProb(), c.attentionProbsDropoutProb(),
                c.maxPositionEmbeddings(), c.typeVocabSize(), c.initializerRange(), c.layerNormEps(), pad,
                c.modelType(), c.architectures(), c.extra());
    }

    private static String card(Path onnx, BertConfig c, Result r) {
        StringBuilder s = new StringBuilder("# BERT encoder imported from ONNX\n\n");
        s.append("Imported by bert4j from `").append(onnx.getFileName()).append("`: ").append(c.numHiddenLayers())
                .append(" layers, hidden ").append(c.hiddenSize()).append(", ").append(c.numAttentionHeads())
                .append(" heads, FFN ").append(c.intermediateSize()).append(", vocabulary ").append(c.vocabSize())
                .append(", hidden_act ").append(c.hiddenAct()).append(", layer_norm_eps ").append(c.layerNormEps())
                .append(".\n");
        for (String n : r.notes()) {
            s.append("\n- ").append(n);
        }
        return s.append("\n").toString();
    }

    /** One dense layer found in the graph: HF-layout weight [out,in], bias, where it ends. */
    private record Dense(int index, String output, String input, INDArray weight, INDArray bias, Set<String> uses) {}

    /** One LayerNorm found in the graph. */
    private record Norm(int index, String output, INDArray gamma, INDArray beta, double eps, Set<String> uses) {}

    private static final class Mapper {
        private final OnnxGraph g;
        private final Set<String> used = new HashSet<>();
        private final List<String> notes = new ArrayList<>();

        Mapper(OnnxGraph g) {
            this.g = g;
        }

        private OnnxFormatException fail(String what) {
            return new OnnxFormatException(g.source + ": " + what);
        }

        Result map() {
            refuseContribOps();
            Map<String, INDArray> t = new LinkedHashMap<>();
            INDArray[] emb = embeddings();
            t.put(HfNames.WORD_EMBEDDINGS, emb[0]);
            t.put(HfNames.POSITION_EMBEDDINGS, emb[1]);
            t.put(HfNames.TOKEN_TYPE_EMBEDDINGS, emb[2]);
            long hidden = emb[0].size(1);

            List<Dense> denses = denses();
            List<Norm> norms = norms();
            if (norms.isEmpty()) {
                throw fail("found no LayerNorm (neither LayerNormalization nor the decomposed ReduceMean/Sqrt/Div chain)");
            }
            double eps = norms.get(0).eps();
            for (Norm n : norms) {
                if (Math.abs(n.eps() - eps) > 1e-6 * Math.max(eps, 1e-30) && Math.abs(n.eps() - eps) > 1e-13) {
                    throw fail("LayerNorms use different epsilons (" + eps + " and " + n.eps() + ")");
                }
            }
            Norm embNorm = norms.get(0);
            put(t, HfNames.EMBEDDINGS + ".LayerNorm", embNorm.gamma(), embNorm.beta(), hidden);
            used.addAll(embNorm.uses());

            // events after the embeddings LayerNorm, in graph order
            List<Object> events = new ArrayList<>();
            int di = 0;
            int ni = 1;
            while (di < denses.size() || ni < norms.size()) {
                Dense d = di < denses.size() ? denses.get(di) : null;
                Norm n = ni < norms.size() ? norms.get(ni) : null;
                if (d != null && d.index() < embNorm.index()) {
                    throw fail("a MatMul with a constant weight (" + g.node(d.index()).getName()
                            + ") comes before the embeddings LayerNorm");
                }
                if (n == null || (d != null && d.index() < n.index())) {
                    events.add(d);
                    di++;
                } else {
                    events.add(n);
                    ni++;
                }
            }
            int pos = 0;
            int layers = 0;
            long heads = -1;
            long intermediate = -1;
            String act = null;
            String lastHidden = embNorm.output();
            while (pos + 8 <= events.size() && events.get(pos) instanceof Dense && events.get(pos + 4) instanceof Norm) {
                String p = HfNames.layer(layers);
                List<Dense> qkvo = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    if (!(events.get(pos + k) instanceof Dense dd)) {
                        throw fail("layer " + layers + ": expected 4 dense layers (query, key, value, output) before "
                                + "the attention LayerNorm");
                    }
                    qkvo.add(dd);
                }
                if (!(events.get(pos + 5) instanceof Dense inter) || !(events.get(pos + 6) instanceof Dense out)
                        || !(events.get(pos + 7) instanceof Norm outNorm)) {
                    throw fail("layer " + layers + ": expected intermediate dense, output dense, LayerNorm after the "
                            + "attention LayerNorm");
                }
                Norm attNorm = (Norm) events.get(pos + 4);
                Dense[] qkv = assignQkv(layers, qkvo.subList(0, 3));
                long h = headCount(layers, qkv[0], hidden);
                if (heads >= 0 && h != heads) {
                    throw fail("layer " + layers + " has " + h + " heads, earlier layers " + heads);
                }
                heads = h;
                String[] names = {"query", "key", "value"};
                for (int k = 0; k < 3; k++) {
                    putDense(t, p + ".attention.self." + names[k], qkv[k], hidden, hidden, layers);
                }
                putDense(t, p + ".attention.output.dense", qkvo.get(3), hidden, hidden, layers);
                put(t, p + ".attention.output.LayerNorm", attNorm.gamma(), attNorm.beta(), hidden);
                used.addAll(attNorm.uses());
                long inner = inter.weight().size(0);
                if (intermediate >= 0 && inner != intermediate) {
                    throw fail("layer " + layers + " has intermediate size " + inner + ", earlier layers " + intermediate);
                }
                intermediate = inner;
                putDense(t, p + ".intermediate.dense", inter, inner, hidden, layers);
                putDense(t, p + ".output.dense", out, hidden, inner, layers);
                put(t, p + ".output.LayerNorm", outNorm.gamma(), outNorm.beta(), hidden);
                used.addAll(outNorm.uses());
                String a = activation(layers, inter, out);
                if (act != null && !act.equals(a)) {
                    throw fail("layer " + layers + " uses activation " + a + ", earlier layers " + act);
                }
                act = a;
                lastHidden = outNorm.output();
                pos += 8;
                layers++;
            }
            if (layers == 0) {
                throw fail("found no Transformer layer (4 dense layers, LayerNorm, 2 dense layers, LayerNorm) after "
                        + "the embeddings");
            }
            OnnxExport.Head head = OnnxExport.Head.NONE;
            boolean pooler = false;
            String pooledOut = null;
            for (; pos < events.size(); pos++) {
                if (!(events.get(pos) instanceof Dense d)) {
                    throw fail("an extra LayerNorm after the last Transformer layer (" + g.node(((Norm) events.get(pos))
                            .index()).getName() + ") is not part of a BERT encoder");
                }
                String tanh = tanhAfter(d.output());
                if (!pooler && head == OnnxExport.Head.NONE && tanh != null && d.weight().size(0) == hidden
                        && d.weight().size(1) == hidden) {
                    putDense(t, HfNames.POOLER_DENSE, d, hidden, hidden, -1);
                    pooler = true;
                    pooledOut = tanh;
                } else if (head == OnnxExport.Head.NONE && d.weight().size(1) == hidden) {
                    if (g.derivesFrom(d.input(), lastHidden, 6)) {
                        head = OnnxExport.Head.TOKEN_CLASSIFICATION;
                    } else if (pooledOut != null && g.derivesFrom(d.input(), pooledOut, 6)) {
                        head = OnnxExport.Head.SEQUENCE_CLASSIFICATION;
                    } else {
                        throw fail("a dense layer " + java.util.Arrays.toString(d.weight().shape()) + " after the "
                                + "encoder reads neither the hidden states nor the pooled output");
                    }
                    t.put(HfNames.CLASSIFIER_WEIGHT, d.weight());
                    t.put(HfNames.CLASSIFIER_BIAS, d.bias());
                    used.addAll(d.uses());
                } else {
                    throw fail("an extra dense layer " + java.util.Arrays.toString(d.weight().shape()) + " ("
                            + g.node(d.index()).getName() + ") after the encoder does not fit BERT's pooler or a "
                            + "classifier");
                }
            }
            checkEverythingMapped();
            BertConfig config = new BertConfig((int) emb[0].size(0), (int) hidden, layers, (int) heads,
                    (int) intermediate, act, null, null, (int) emb[1].size(0), (int) emb[2].size(0), null, eps,
                    null, "bert", List.of(head == OnnxExport.Head.SEQUENCE_CLASSIFICATION ? "BertForSequenceClassification"
                            : head == OnnxExport.Head.TOKEN_CLASSIFICATION ? "BertForTokenClassification" : "BertModel"),
                    null);
            if (!pooler) {
                BertEncoder fresh = BertEncoder.create(config, 0);
                t.put(HfNames.POOLER_DENSE + ".weight", fresh.parameters().get(HfNames.POOLER_DENSE + ".weight").dup());
                t.put(HfNames.POOLER_DENSE + ".bias", fresh.parameters().get(HfNames.POOLER_DENSE + ".bias").dup());
                fresh.close();
                notes.add("The ONNX graph has no pooler: bert.pooler.dense was initialised fresh (N(0, 0.02), seed 0), "
                        + "so pooled outputs mean nothing until the model is fine-tuned; last_hidden_state is the "
                        + "original model's.");
            }
            Map<String, INDArray> ordered = new LinkedHashMap<>();
            for (String name : BertEncoder.parameterShapes(config).keySet()) {
                ordered.put(name, t.remove(name));
            }
            ordered.putAll(t);
            return new Result(config, ordered, head, List.copyOf(notes));
        }

        private void refuseContribOps() {
            Set<String> contrib = new TreeSet<>();
            for (Onnx.NodeProto n : g.nodes) {
                if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                    contrib.add(n.getDomain() + ":" + n.getOpType());
                }
            }
            if (!contrib.isEmpty()) {
                throw fail("the graph uses fused operators " + contrib + " (an ONNX Runtime-optimized model); import "
                        + "the plain export instead (optimum: --optimize none / without ORTOptimizer)");
            }
        }

        /** word [V,H], position [P,H], token type [S,H]. */
        private INDArray[] embeddings() {
            String inputIds = g.graphInputs.contains("input_ids") ? "input_ids" : null;
            String typeIds = g.graphInputs.contains("token_type_ids") ? "token_type_ids" : null;
            if (inputIds == null) {
                throw fail("no graph input named input_ids (inputs: " + g.graphInputs + ")");
            }
            OnnxGraph.Weight word = null;
            OnnxGraph.Weight type = null;
            OnnxGraph.Weight position = null;
            for (Onnx.NodeProto n : g.nodes) {
                if (!n.getOpType().equals("Gather") || n.getInputCount() < 2) {
                    continue;
                }
                OnnxGraph.Weight table = g.weight(n.getInput(0));
                if (table == null || table.tensor().getDimsCount() != 2 || table.transposed()) {
                    continue;
                }
                String idx = n.getInput(1);
                if (g.derivesFrom(idx, inputIds, 4)) {
                    word = unique(word, table, "word embeddings (Gather on input_ids)");
                } else if (typeIds != null && g.derivesFrom(idx, typeIds, 4)) {
                    type = unique(type, table, "token type embeddings (Gather on token_type_ids)");
                } else if (g.constant(idx) != null && type == null && table.tensor().getDims(0) <= 16
                        && g.values(g.constant(idx)).length > 0 && allZero(g.values(g.constant(idx)))) {
                    type = table;                        // token types folded to a constant (no token_type_ids input)
                } else {
                    position = unique(position, table, "position embeddings (Gather on computed position indices)");
                }
            }
            if (word == null) {
                throw fail("found no Gather of a [vocab, hidden] embedding table on input_ids");
            }
            if (position == null) {
                throw fail("found no position embeddings (a Gather of a [positions, hidden] table on position indices)");
            }
            if (type == null) {
                throw fail("found no token type embeddings (a Gather of a [types, hidden] table on token_type_ids)");
            }
            INDArray w = g.floats(word.tensor());
            INDArray p = g.floats(position.tensor());
            INDArray s = g.floats(type.tensor());
            if (p.size(1) != w.size(1) || s.size(1) != w.size(1)) {
                throw fail("embedding widths differ: word " + w.size(1) + ", position " + p.size(1) + ", type " + s.size(1));
            }
            used.add(word.name());
            used.add(position.name());
            used.add(type.name());
            return new INDArray[] {w, p, s};
        }

        private static boolean allZero(double[] v) {
            for (double x : v) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        private OnnxGraph.Weight unique(OnnxGraph.Weight have, OnnxGraph.Weight found, String what) {
            if (have != null && !have.name().equals(found.name())) {
                throw fail("two candidates for the " + what + ": " + have.name() + " and " + found.name());
            }
            return found;
        }

        private List<Dense> denses() {
            List<Dense> out = new ArrayList<>();
            for (int i = 0; i < g.nodes.size(); i++) {
                Onnx.NodeProto n = g.node(i);
                boolean gemm = n.getOpType().equals("Gemm");
                if (!(n.getOpType().equals("MatMul") || gemm) || n.getInputCount() < 2) {
                    continue;
                }
                OnnxGraph.Weight w = g.weight(n.getInput(1));
                if (w == null || w.tensor().getDimsCount() != 2) {
                    continue;
                }
                INDArray raw = g.floats(w.tensor());
                boolean hfLayout = gemm ? g.attrInt(n, "transB", 0) == 1 : w.transposed();   // [out,in] already
                if (gemm && g.attrInt(n, "transA", 0) != 0) {
                    throw fail("Gemm " + n.getName() + " with transA=1 is not a dense layer");
                }
                INDArray weight = hfLayout ? raw : raw.transpose().dup('c');
                Set<String> uses = new HashSet<>(Set.of(w.name()));
                INDArray bias = null;
                String output = n.getOutput(0);
                if (gemm && n.getInputCount() > 2) {
                    OnnxGraph.Weight b = g.weight(n.getInput(2));
                    if (b != null) {
                        bias = g.floats(b.tensor()).reshape(weight.size(0));
                        uses.add(b.name());
                    }
                } else {
                    for (int c : g.consumersOf(output)) {
                        Onnx.NodeProto add = g.node(c);
                        if (!add.getOpType().equals("Add")) {
                            continue;
                        }
                        String other = add.getInput(0).equals(output) ? add.getInput(1) : add.getInput(0);
                        Onnx.TensorProto b = g.constant(other);
                        if (b != null && b.getDimsCount() == 1 && b.getDims(0) == weight.size(0)) {
                            bias = g.floats(b);
                            uses.add(b.getName());
                            output = add.getOutput(0);
                            break;
                        }
                    }
                }
                if (bias == null) {
                    throw fail("dense layer " + n.getName() + " (weight " + w.name() + ") has no constant bias Add; "
                            + "BERT's Linear layers all have biases");
                }
                out.add(new Dense(i, output, n.getInput(0), weight, bias, uses));
            }
            return out;
        }

        private List<Norm> norms() {
            List<Norm> out = new ArrayList<>();
            for (int i = 0; i < g.nodes.size(); i++) {
                Onnx.NodeProto n = g.node(i);
                if (n.getOpType().equals("LayerNormalization")) {
                    if (g.attrInt(n, "axis", -1) != -1 && g.attrInt(n, "axis", -1) != 2) {
                        throw fail("LayerNormalization " + n.getName() + " normalises axis " + g.attrInt(n, "axis", -1)
                                + ", BERT normalises the last axis");
                    }
                    OnnxGraph.Weight gamma = g.weight(n.getInput(1));
                    OnnxGraph.Weight beta = n.getInputCount() > 2 ? g.weight(n.getInput(2)) : null;
                    if (gamma == null || beta == null) {
                        throw fail("LayerNormalization " + n.getName() + " lacks a constant scale or bias");
                    }
                    out.add(new Norm(i, n.getOutput(0), g.floats(gamma.tensor()), g.floats(beta.tensor()),
                            g.attrFloat(n, "epsilon", 1e-5f), Set.of(gamma.name(), beta.name())));
                } else if (n.getOpType().equals("Sqrt")) {
                    Norm norm = decomposedNorm(n);
                    if (norm != null) {
                        out.add(norm);
                    }
                }
            }
            out.sort(java.util.Comparator.comparingInt(Norm::index));
            return out;
        }

        /** The chain Add(ReduceMean(·), ε) → Sqrt → Div → Mul(γ) → Add(β) around {@code sqrt}, or null. */
        private Norm decomposedNorm(Onnx.NodeProto sqrt) {
            Onnx.NodeProto add = g.producerOf(sqrt.getInput(0));
            if (add == null || !add.getOpType().equals("Add")) {
                return null;
            }
            Onnx.TensorProto epsT = g.constant(add.getInput(1));
            Onnx.NodeProto mean = g.producerOf(add.getInput(0));
            if (epsT == null) {
                epsT = g.constant(add.getInput(0));
                mean = g.producerOf(add.getInput(1));
            }
            if (epsT == null || mean == null || !mean.getOpType().equals("ReduceMean")) {
                return null;
            }
            for (int c : g.consumersOf(sqrt.getOutput(0))) {
                Onnx.NodeProto div = g.node(c);
                if (!div.getOpType().equals("Div")) {
                    continue;
                }
                for (int c2 : g.consumersOf(div.getOutput(0))) {
                    Onnx.NodeProto mul = g.node(c2);
                    if (!mul.getOpType().equals("Mul")) {
                        continue;
                    }
                    OnnxGraph.Weight gamma = g.weight(other(mul, div.getOutput(0)));
                    if (gamma == null) {
                        continue;
                    }
                    for (int c3 : g.consumersOf(mul.getOutput(0))) {
                        Onnx.NodeProto addB = g.node(c3);
                        OnnxGraph.Weight beta = addB.getOpType().equals("Add") ? g.weight(other(addB, mul.getOutput(0))) : null;
                        if (beta != null) {
                            return new Norm(c3, addB.getOutput(0), g.floats(gamma.tensor()), g.floats(beta.tensor()),
                                    g.values(epsT)[0], Set.of(gamma.name(), beta.name()));
                        }
                    }
                }
            }
            return null;
        }

        private static String other(Onnx.NodeProto binary, String one) {
            return binary.getInput(0).equals(one) ? binary.getInput(1) : binary.getInput(0);
        }

        /** Tells query, key and value apart by where each enters the attention products. */
        private Dense[] assignQkv(int layer, List<Dense> three) {
            Dense[] qkv = new Dense[3];
            for (Dense d : three) {
                int[] hit = attentionProduct(d.output(), 8);
                if (hit == null) {
                    throw fail("layer " + layer + ": dense " + g.node(d.index()).getName()
                            + " does not lead into an attention MatMul");
                }
                Onnx.NodeProto mm = g.node(hit[0]);
                String otherIn = mm.getInput(1 - hit[1]);
                int slot = fromSoftmax(otherIn, 6) ? 2 : hit[1];     // value: multiplied with the probabilities
                if (qkv[slot] != null) {
                    throw fail("layer " + layer + ": two dense layers look like the attention "
                            + new String[] {"query", "key", "value"}[slot]);
                }
                qkv[slot] = d;
            }
            return qkv;
        }

        /** Follows {@code value} through shape ops and constant scalings to a MatMul of two activations: {node, input}. */
        private int[] attentionProduct(String value, int depth) {
            if (depth == 0) {
                return null;
            }
            for (int c : g.consumersOf(value)) {
                Onnx.NodeProto n = g.node(c);
                String op = n.getOpType();
                if (op.equals("MatMul") && g.weight(n.getInput(0)) == null && g.weight(n.getInput(1)) == null) {
                    return new int[] {c, n.getInput(0).equals(value) ? 0 : 1};
                }
                boolean scaling = (op.equals("Mul") || op.equals("Div")) && g.constant(other(n, value)) != null;
                if (OnnxGraph.PASS_THROUGH.contains(op) || scaling) {
                    int[] r = attentionProduct(n.getOutput(0), depth - 1);
                    if (r != null) {
                        return r;
                    }
                }
            }
            return null;
        }

        private boolean fromSoftmax(String value, int depth) {
            Onnx.NodeProto p = g.producerOf(value);
            if (p == null || depth == 0) {
                return false;
            }
            if (p.getOpType().equals("Softmax")) {
                return true;
            }
            return OnnxGraph.PASS_THROUGH.contains(p.getOpType()) && fromSoftmax(p.getInput(0), depth - 1);
        }

        /** Heads from the Reshape that splits the query into [B, T, heads, head_size]. */
        private long headCount(int layer, Dense query, long hidden) {
            String v = query.output();
            for (int step = 0; step < 4; step++) {
                for (int c : g.consumersOf(v)) {
                    Onnx.NodeProto n = g.node(c);
                    if (n.getOpType().equals("Reshape")) {
                        Long[] shape = g.shapeVector(n.getInput(1));
                        if (shape != null && shape.length == 4) {
                            if (shape[2] != null && shape[2] > 0) {
                                return check(layer, shape[2], hidden);
                            }
                            if (shape[3] != null && shape[3] > 0) {
                                return check(layer, hidden / shape[3], hidden);
                            }
                        }
                    }
                }
                List<Integer> next = g.consumersOf(v);
                if (next.size() != 1) {
                    break;
                }
                Onnx.NodeProto n = g.node(next.get(0));
                if (!(n.getOpType().equals("Mul") || n.getOpType().equals("Div") || OnnxGraph.PASS_THROUGH.contains(n.getOpType()))) {
                    break;
                }
                v = n.getOutput(0);
            }
            throw fail("layer " + layer + ": cannot read the number of attention heads (no Reshape of the query to "
                    + "[batch, sequence, heads, head_size] with constant heads or head_size)");
        }

        private long check(int layer, long heads, long hidden) {
            if (heads <= 0 || hidden % heads != 0) {
                throw fail("layer " + layer + ": " + heads + " heads do not divide hidden size " + hidden);
            }
            return heads;
        }

        private String activation(int layer, Dense inter, Dense out) {
            Set<String> ops = new HashSet<>();
            Onnx.NodeProto gelu = null;
            for (int i = inter.index() + 1; i < out.index(); i++) {
                Onnx.NodeProto n = g.node(i);
                ops.add(n.getOpType());
                if (n.getOpType().equals("Gelu")) {
                    gelu = n;
                }
            }
            if (gelu != null) {
                return g.attrString(gelu, "approximate", "none").equals("tanh") ? HiddenAct.GELU_NEW.hfName() : HiddenAct.GELU.hfName();
            }
            if (ops.contains("Erf")) {
                return HiddenAct.GELU.hfName();
            }
            if (ops.contains("Tanh")) {
                return HiddenAct.GELU_NEW.hfName();
            }
            if (ops.contains("Relu")) {
                return HiddenAct.RELU.hfName();
            }
            throw fail("layer " + layer + ": cannot tell the feed-forward activation (ops between the intermediate and "
                    + "output dense layers: " + new TreeSet<>(ops) + "; supported: Erf (gelu), Tanh (gelu_new), Relu, Gelu)");
        }

        private String tanhAfter(String value) {
            for (int c : g.consumersOf(value)) {
                Onnx.NodeProto n = g.node(c);
                if (n.getOpType().equals("Tanh")) {
                    return n.getOutput(0);
                }
            }
            return null;
        }

        private void putDense(Map<String, INDArray> t, String prefix, Dense d, long out, long in, int layer) {
            if (d.weight().size(0) != out || d.weight().size(1) != in) {
                throw fail((layer >= 0 ? "layer " + layer + ": " : "") + prefix + " should be [" + out + ", " + in
                        + "], the graph's weight is " + java.util.Arrays.toString(d.weight().shape()));
            }
            t.put(prefix + ".weight", d.weight());
            t.put(prefix + ".bias", d.bias());
            used.addAll(d.uses());
        }

        private void put(Map<String, INDArray> t, String prefix, INDArray gamma, INDArray beta, long hidden) {
            if (gamma.length() != hidden || beta.length() != hidden) {
                throw fail(prefix + " should have " + hidden + " entries, has " + gamma.length());
            }
            t.put(prefix + ".weight", gamma.reshape(hidden));
            t.put(prefix + ".bias", beta.reshape(hidden));
        }

        /** Every float initializer with more than one element must have found its place. */
        private void checkEverythingMapped() {
            Set<String> constantOutputs = new HashSet<>();
            Set<String> outputs = new HashSet<>();
            g.graph.getOutputList().forEach(o -> outputs.add(o.getName()));
            for (Onnx.NodeProto n : g.nodes) {
                if (n.getOpType().equals("Identity") && outputs.contains(n.getOutput(0))) {
                    constantOutputs.add(n.getInput(0));
                }
            }
            Set<String> unmapped = new TreeSet<>();
            for (Onnx.TensorProto t : g.graph.getInitializerList()) {
                boolean isFloat = t.getDataType() == Onnx.TensorProto.DataType.FLOAT.getNumber()
                        || t.getDataType() == Onnx.TensorProto.DataType.DOUBLE.getNumber()
                        || t.getDataType() == Onnx.TensorProto.DataType.FLOAT16.getNumber();
                long n = 1;
                for (long d : OnnxGraph.dims(t)) {
                    n *= d;
                }
                if (isFloat && n > 1 && !used.contains(t.getName()) && !constantOutputs.contains(t.getName())) {
                    unmapped.add(t.getName() + " " + java.util.Arrays.toString(OnnxGraph.dims(t)));
                }
            }
            if (!unmapped.isEmpty()) {
                throw fail("could not map these initializers to BERT parameters: " + unmapped
                        + " (is this a BERT-family encoder?)");
            }
        }
    }
}
