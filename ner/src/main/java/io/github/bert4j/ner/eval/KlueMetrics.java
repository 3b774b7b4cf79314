package io.github.bert4j.ner.eval;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.align.Iob;
import io.github.bert4j.ner.align.LabelAligner;
import io.github.bert4j.ner.data.TagSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Accumulates gold and predicted tags sentence by sentence and computes KLUE's NER metrics
 * ({@code klue_baseline/metrics/functional.py}) plus the reference project's token-level scores.
 *
 * <p>Character level, as KLUE: whitespace characters are removed first (KLUE drops the {@code " "}
 * lines), then
 * <ul>
 *   <li><b>entity_macro_f1 / entity_micro_f1 / per_type</b>: seqeval with {@code mode="strict",
 *       scheme=IOB2} ({@link Iob#spans}): an entity counts when type, start and end all match; an
 *       {@code I-X} without its {@code B-X} is no entity. Macro = unweighted mean of per-type F1
 *       over the types occurring in gold or prediction (a type predicted but never gold has F1 0),
 *       0/0 → 0. Micro pools the counts. KLUE scores the concatenation of all sentences (with
 *       {@code O} at [CLS]/[SEP] between them); scoring per sentence gives the same entities.</li>
 *   <li><b>char_macro_f1</b>: sklearn {@code f1_score(average="macro", zero_division=1)} over the
 *       12 {@code B-}/{@code I-} labels of the tag set (every label counts, one absent from both
 *       gold and prediction scores 1.0).</li>
 *   <li><b>char_macro_f1_with_o</b>: the same over all 13 labels including {@code O}. This is what
 *       KLUE's code actually computes ({@code labels=list(range(len(label_list)))} includes
 *       {@code O}, although its docstring says "except O tag").</li>
 * </ul>
 * KLUE truncates each sentence to what fits in the model's max length; we score every character
 * (long sentences are predicted through sliding windows).
 *
 * <p>Token level (the reference project), over the real tokens of each sentence (special and
 * padding tokens excluded), gold = aligned token tags ({@link LabelAligner#tokenTags}):
 * <b>token_micro_f1</b> = sklearn micro F1 over all labels including {@code O} (= token accuracy);
 * <b>token_macro_f1</b> = unweighted mean of per-label F1 over the labels occurring in gold or
 * prediction (sklearn's default label set), 0/0 → 0.
 *
 * <p>Entity scores ({@link #addEntities}): the {@link Reliability} of the predicted entities'
 * scores, {@value Reliability#BINS} equal-width bins, precision = exact match (type, start, end)
 * with a gold entity.
 *
 * <p>Not thread-safe.
 */
public final class KlueMetrics {

    private final TagSet tags;
    private final Map<String, long[]> entityCounts = new TreeMap<>(); // type -> tp, fp, fn
    private final long[][] charCounts;                               // label -> tp, fp, fn
    private final Map<String, long[]> tokenCounts = new HashMap<>();  // label -> tp, fp, fn
    private final Reliability.Builder reliability = new Reliability.Builder(Reliability.BINS);
    private long tokenCorrect;
    private long tokenTotal;
    private int sentences;

    public KlueMetrics(TagSet tags) {
        this.tags = tags;
        this.charCounts = new long[tags.size()][3];
    }

    /**
     * Adds one sentence at character level.
     *
     * @param text the sentence
     * @param gold gold tag per code point
     * @param predicted predicted tag per code point
     */
    public void addCharacters(String text, List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " tags, prediction " + predicted.size());
        }
        List<String> g = LabelAligner.withoutWhitespace(text, gold);
        List<String> p = LabelAligner.withoutWhitespace(text, predicted);
        addCharacterSequence(g, p);
    }

    /** Adds one sentence given tag sequences that already exclude whitespace. */
    public void addCharacterSequence(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " tags, prediction " + predicted.size());
        }
        sentences++;
        for (int i = 0; i < gold.size(); i++) {
            int gi = tags.index(gold.get(i));
            int pi = tags.index(predicted.get(i));
            if (gi == pi) {
                charCounts[gi][0]++;
            } else {
                charCounts[pi][1]++;
                charCounts[gi][2]++;
            }
        }
        Set<Iob.Span> goldSpans = new HashSet<>(Iob.spans(gold));
        Set<Iob.Span> predSpans = new HashSet<>(Iob.spans(predicted));
        for (Iob.Span s : predSpans) {
            long[] c = entityCounts.computeIfAbsent(s.type(), k -> new long[3]);
            c[goldSpans.contains(s) ? 0 : 1]++;
        }
        for (Iob.Span s : goldSpans) {
            if (!predSpans.contains(s)) {
                entityCounts.computeIfAbsent(s.type(), k -> new long[3])[2]++;
            }
        }
    }

    /**
     * Adds one sentence's entities for the {@link Reliability} summary: every scored predicted
     * entity counts, as correct when a gold entity has its type, start and end. Predicted entities
     * without a score are skipped.
     */
    public void addEntities(List<Entity> gold, List<Entity> predicted) {
        Set<List<Object>> g = new HashSet<>();
        for (Entity e : gold) {
            g.add(List.of(e.type(), e.start(), e.end()));
        }
        for (Entity e : predicted) {
            if (e.hasScore()) {
                reliability.add(e.score(), g.contains(List.of(e.type(), e.start(), e.end())));
            }
        }
    }

    /** Adds one sentence's real (non-special) tokens: gold and predicted tag per token. */
    public void addTokens(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " token tags, prediction " + predicted.size());
        }
        for (int i = 0; i < gold.size(); i++) {
            String g = gold.get(i);
            String p = predicted.get(i);
            tokenTotal++;
            if (g.equals(p)) {
                tokenCorrect++;
                tokenCounts.computeIfAbsent(g, k -> new long[3])[0]++;
            } else {
                tokenCounts.computeIfAbsent(p, k -> new long[3])[1]++;
                tokenCounts.computeIfAbsent(g, k -> new long[3])[2]++;
            }
        }
    }

    public KlueReport report() {
        Map<String, Prf> perType = new TreeMap<>();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        double macro = 0;
        for (var e : entityCounts.entrySet()) {
            long[] c = e.getValue();
            Prf prf = Prf.of(c[0], c[1], c[2], 0.0);
            perType.put(e.getKey(), prf);
            macro += prf.f1();
            tp += c[0];
            fp += c[1];
            fn += c[2];
        }
        double entityMacro = entityCounts.isEmpty() ? 0 : macro / entityCounts.size();
        double entityMicro = Prf.of(tp, fp, fn, 0.0).f1();
        for (String type : tags.types()) {
            perType.putIfAbsent(type, new Prf(0, 0, 0, 0));
        }

        double charMacro = 0;
        double charMacroWithO = 0;
        for (int i = 0; i < tags.size(); i++) {
            double f = Prf.of(charCounts[i][0], charCounts[i][1], charCounts[i][2], 1.0).f1();
            charMacroWithO += f;
            if (i != tags.outside()) {
                charMacro += f;
            }
        }
        charMacro /= Math.max(1, tags.size() - 1);
        charMacroWithO /= tags.size();

        double tokenMicro = tokenTotal == 0 ? 0 : (double) tokenCorrect / tokenTotal;
        double tokenMacro = 0;
        for (String label : new TreeSet<>(tokenCounts.keySet())) {
            long[] c = tokenCounts.get(label);
            tokenMacro += Prf.of(c[0], c[1], c[2], 0.0).f1();
        }
        tokenMacro = tokenCounts.isEmpty() ? 0 : tokenMacro / tokenCounts.size();
        return new KlueReport(entityMacro, entityMicro, charMacro, charMacroWithO, tokenMicro, tokenMacro, perType,
                sentences, reliability.build());
    }
}
