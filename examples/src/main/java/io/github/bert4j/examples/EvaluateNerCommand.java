package io.github.bert4j.examples;

import io.github.bert4j.ner.NerScorer;
import io.github.bert4j.ner.eval.KlueReport;
import io.github.bert4j.ner.eval.Reliability;
import io.github.bert4j.ner.eval.ReliabilityPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j evaluate-ner --model DIR --data FILE.tsv [--reliability-plot FILE.png]}: KLUE
 * metrics of a model on a KLUE NER file, as one JSON line: {@code {"entity_macro_f1":..,
 * "entity_micro_f1":..,"char_macro_f1":..,"char_macro_f1_with_o":..,"token_micro_f1":..,
 * "token_macro_f1":..,"per_type":{..},"sentences":N,"reliability":{..}}} (F1 as fractions; the
 * reliability of the entity scores: bins, observed precision, ECE; see the ner module's {@link
 * KlueReport} and {@link Reliability}), optionally with the reliability diagram as a PNG.
 */
@Command(name = "evaluate-ner", mixinStandardHelpOptions = true,
        description = "KLUE NER metrics (entity/char/token F1) of a model directory on a KLUE-format TSV; one JSON line.")
public final class EvaluateNerCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "NER model directory.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "KLUE NER TSV file.")
    Path data;

    @Option(names = "--reliability-plot", paramLabel = "FILE",
            description = "Also write the entity-score reliability diagram (PNG) here.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        KlueReport report = NerScorer.score(model, data);
        if (plot != null) {
            ReliabilityPlot.write(report.reliability(), plot);
        }
        System.out.println(report.toJson());
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvaluateNerCommand()).execute(args));
    }
}
