package io.github.bert4j.examples;

import io.github.bert4j.ner.NerEvaluation;
import io.github.bert4j.ner.eval.NerReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j evaluate-ner --model DIR --data FILE.tsv}: KLUE metrics of a model on a KLUE NER
 * file, as one JSON line: {@code {"entity_macro_f1":..,"entity_micro_f1":..,"char_macro_f1":..,
 * "char_macro_f1_with_o":..,"token_micro_f1":..,"token_macro_f1":..,"per_type":{..},"sentences":N}}
 * (F1 as fractions; see the ner module's {@link NerReport}).
 */
@Command(name = "evaluate-ner", mixinStandardHelpOptions = true,
        description = "KLUE NER metrics (entity/char/token F1) of a model directory on a KLUE-format TSV; one JSON line.")
public final class EvaluateNerCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "NER model directory.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "KLUE NER TSV file.")
    Path data;

    @Override
    public Integer call() throws IOException {
        System.out.println(run(model, data).toJson());
        return 0;
    }

    public static NerReport run(Path modelDir, Path tsv) throws IOException {
        return NerEvaluation.run(modelDir, tsv);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvaluateNerCommand()).execute(args));
    }
}
