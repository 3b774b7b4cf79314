package io.github.bert4j.examples;

import io.github.bert4j.bert.onnx.OnnxExport;
import io.github.bert4j.ner.NerOnnxExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j export-onnx --model DIR --output FILE.onnx}: an encoder, a sequence classifier or an
 * NER model directory as one ONNX model (opset {@value OnnxExport#OPSET}); see {@link OnnxExport}
 * and {@link NerOnnxExport} for the inputs, outputs and their meaning.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write a model directory (encoder, classifier or NER model) as an ONNX model.")
public final class ExportOnnxCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The .onnx file to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(model)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--model " + model + ": no such model directory");
        }
        String kind;
        if (NerOnnxExport.isNerModel(model)) {
            NerOnnxExport.write(model, output);
            kind = "NER model (logits + CRF scores)";
        } else {
            OnnxExport.modelDirectory(model, output);
            kind = "encoder";
        }
        System.err.printf("export-onnx: %s %s -> %s (%,d bytes, opset %d)%n", kind, model, output, Files.size(output),
                OnnxExport.OPSET);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ExportOnnxCommand()).execute(args));
    }
}
