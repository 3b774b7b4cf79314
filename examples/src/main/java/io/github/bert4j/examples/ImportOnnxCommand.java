package io.github.bert4j.examples;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.onnx.OnnxImport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j import-onnx --onnx FILE.onnx [--tokenizer tokenizer.json] --output DIR}: a
 * BERT-family ONNX model (HuggingFace/optimum, sentence-transformers or bert4j exports) as a bert4j
 * model directory that {@code BertEncoder.load}, {@code encode} and fine-tuning take.
 */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
        description = "Turn a BERT ONNX model (HF/optimum, sentence-transformers) into a bert4j model directory.")
public final class ImportOnnxCommand implements Callable<Integer> {

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The .onnx model.")
    Path onnx;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Its tokenizer.json (copied, with vocab.txt).")
    Path tokenizer;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Model directory to create.")
    Path output;

    @Override
    public Integer call() throws IOException {
        OnnxImport.Result r = OnnxImport.toModelDirectory(onnx, tokenizer, output);
        BertConfig c = r.config();
        System.err.printf("import-onnx: %s -> %s: %d layers, hidden %d, %d heads, FFN %d, vocab %d, %s, head %s%n",
                onnx, output, c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(),
                c.vocabSize(), c.hiddenAct(), r.head().name().toLowerCase(java.util.Locale.ROOT));
        r.notes().forEach(n -> System.err.println("import-onnx: note: " + n));
        if (tokenizer == null) {
            System.err.println("import-onnx: no --tokenizer given: copy the model's tokenizer.json into " + output
                    + " before using encode or fine-tuning");
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ImportOnnxCommand()).execute(args));
    }
}
