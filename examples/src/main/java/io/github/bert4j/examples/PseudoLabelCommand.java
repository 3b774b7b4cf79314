package io.github.bert4j.examples;

import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.progress.Progress;
import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.PseudoLabels;
import io.github.bert4j.ner.TaggedSentence;
import io.github.bert4j.ner.data.KlueNerWriter;
import io.github.bert4j.ner.data.NerSentence;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j pseudo-label --model DIR --input FILE --output FILE.tsv}: self-training data. Tags
 * unlabelled sentences with a NER model and writes those whose every entity scores at least {@code
 * --min-score} ({@link PseudoLabels}) as a KLUE NER file, for a config's {@code
 * data.extra_train_files}.
 */
@Command(name = "pseudo-label", mixinStandardHelpOptions = true,
        description = "Tag unlabelled sentences with a NER model and keep the confident ones as a KLUE NER file (self-training).")
public final class PseudoLabelCommand implements Callable<Integer> {

    /** Sentences tagged per call. */
    static final int CHUNK = 256;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "NER model directory.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "UTF-8 sentences, one per line; with --tsv, `id<TAB>sentence` lines (as the bundled KLUE raw sentences).")
    Path input;

    @Option(names = "--tsv", description = "Input lines are `id<TAB>sentence`.")
    boolean tsv;

    @Option(names = "--min-score", paramLabel = "P", defaultValue = "0.9",
            description = "Keep a sentence when each of its entities has at least this probability (default ${DEFAULT-VALUE}).")
    double minScore;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "KLUE NER file to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        read(input, tsv, ids, texts);
        List<NerSentence> kept = new ArrayList<>();
        int empty = 0;
        int entities = 0;
        try (NerPredictor predictor = NerPredictor.load(model);
             Progress bar = Progress.bar("pseudo-label", texts.size())) {
            for (int from = 0; from < texts.size(); from += CHUNK) {
                int to = Math.min(texts.size(), from + CHUNK);
                List<TaggedSentence> tagged = predictor.tag(texts.subList(from, to));
                PseudoLabels.Selection s = PseudoLabels.select(ids.subList(from, to), tagged, minScore);
                kept.addAll(s.kept());
                empty += s.withoutEntities();
                entities += s.entitiesKept();
                bar.stepBy(to - from);
            }
        }
        String summary = String.format(Locale.ROOT, "%d of %d sentences kept (%d entities, every one with score >= %s); "
                + "%d had no entity, %d had a less confident one", kept.size(), texts.size(), entities, minScore, empty,
                texts.size() - empty - kept.size());
        AtomicFiles.write(output, os -> {
            KlueNerWriter w = new KlueNerWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8));
            w.writeHeader(List.of("## pseudo-labels: bert4j pseudo-label --model " + model.getFileName() + " --min-score "
                    + minScore + " (" + input.getFileName() + ")", "## " + summary));
            for (NerSentence s : kept) {
                w.write(s);
            }
            w.flush();
        });
        System.err.println("pseudo-label: " + summary + " -> " + output);
        return 0;
    }

    /** Reads the input; a TSV line without a tab is an error naming the file and line. */
    static void read(Path file, boolean tsv, List<String> ids, List<String> texts) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) continue;
                if (tsv) {
                    int tab = line.indexOf('\t');
                    if (tab <= 0 || line.substring(tab + 1).isBlank()) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": expected `id<TAB>sentence`, got: "
                                + (line.length() > 60 ? line.substring(0, 60) + "..." : line));
                    }
                    ids.add(line.substring(0, tab));
                    texts.add(line.substring(tab + 1).strip());
                } else {
                    ids.add("line-" + lineNo);
                    texts.add(line.strip());
                }
            }
        }
    }
}
