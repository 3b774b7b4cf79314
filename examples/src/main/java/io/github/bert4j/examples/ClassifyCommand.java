package io.github.bert4j.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.bert.classification.TextClassifier;
import io.github.bert4j.core.corpus.CorpusException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j classify --model DIR (--text "..." ... | --input FILE.jsonl|FILE.txt) [--json]}:
 * classifies texts with a model directory of {@code finetune-classifier} ({@link TextClassifier})
 * and writes one line per text, in input order: {@code label<TAB>probability} (4 decimals), or with
 * {@code --json} {@code {"label":..,"probability":..,"text":..}}. A {@code .jsonl}/{@code .json}
 * input holds one JSON object per line whose text is the fields the model was trained on (e.g.
 * {@code title} and {@code content}); blank lines are skipped. Any other input (and stdin) is one
 * text per line.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify texts with a classifier model directory; one line per text (label and probability).")
public final class ClassifyCommand implements Callable<Integer> {

    /** Texts classified together. */
    static final int BATCH = 32;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Classifier model directory.")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to classify (repeatable); instead of --input.")
    List<String> texts;

    @Option(names = "--json", description = "Write JSON lines {\"label\":..,\"probability\":..,\"text\":..}.")
    boolean json;

    @CommandLine.Mixin
    LineFiles files;

    @Override
    public Integer call() throws IOException {
        if (texts != null && files.input != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give --text or --input, not both");
        }
        try (TextClassifier classifier = TextClassifier.load(model); BufferedWriter out = files.writer()) {
            if (texts != null) {
                write(classifier, texts, out, json);
            } else {
                boolean jsonl = files.input != null && files.input.getFileName().toString().toLowerCase(Locale.ROOT)
                        .matches(".*\\.jsonl?$");
                try (BufferedReader in = files.reader()) {
                    run(classifier, in, jsonl, files.input == null ? Path.of("<stdin>") : files.input, out, json);
                }
            }
            out.flush();
        }
        return 0;
    }

    /**
     * Classifies every text of {@code in} (JSON objects or plain lines), writing one line each;
     * returns the number of texts.
     *
     * @param source the input's name for errors ({@code file, line N: ...})
     */
    public static long run(TextClassifier classifier, BufferedReader in, boolean jsonl, Path source, Writer out,
            boolean json) throws IOException {
        long n = 0;
        long lineNo = 0;
        List<String> batch = new ArrayList<>(BATCH);
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (jsonl) {
                if (line.isBlank()) continue;
                batch.add(textOf(classifier, line, source, lineNo));
            } else {
                batch.add(line);
            }
            if (batch.size() == BATCH) {
                n += write(classifier, batch, out, json);
                batch.clear();
            }
        }
        n += write(classifier, batch, out, json);
        return n;
    }

    private static String textOf(TextClassifier classifier, String line, Path source, long lineNo) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new CorpusException(source, lineNo, "invalid JSON, expected one object per line ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new CorpusException(source, lineNo, "expected a JSON object with the text field(s) "
                    + classifier.settings().textFields());
        }
        try {
            return classifier.textOf(node);
        } catch (IllegalArgumentException e) {
            throw new CorpusException(source, lineNo, e.getMessage() + " (the model reads "
                    + classifier.settings().textFields() + ")", e);
        }
    }

    /** Classifies {@code texts} and writes one line each; returns how many. */
    static int write(TextClassifier classifier, List<String> texts, Writer out, boolean json) throws IOException {
        if (texts.isEmpty()) return 0;
        List<BertForSequenceClassification.Prediction> p = classifier.classify(texts);
        for (int i = 0; i < texts.size(); i++) {
            out.write(line(p.get(i), texts.get(i), json));
            out.write('\n');
        }
        return texts.size();
    }

    /** {@code label<TAB>0.1234}, or the JSON object. */
    static String line(BertForSequenceClassification.Prediction p, String text, boolean json) {
        String prob = String.format(Locale.ROOT, "%.4f", p.probability());
        if (!json) return p.name() + "\t" + prob;
        return JSON.createObjectNode().put("label", p.name()).put("probability", Double.parseDouble(prob))
                .put("text", text).toString();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClassifyCommand()).execute(args));
    }
}
