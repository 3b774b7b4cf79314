package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.align.SlidingWindows;
import io.github.bert4j.ner.crf.CrfParameters;
import io.github.bert4j.ner.crf.TransitionConstraints;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decoding hand-made emissions of overlapping windows into entities and their probabilities. */
class NerDecoderTest {

    private static final String TEXT = "이순신 장군은 1592년 한산도에서 왜군을 물리쳤다.";
    private static final TagSet TAGS = TagSet.klue();
    private static NerDecoder decoder;

    @BeforeAll
    static void setUp() {
        // windows of 6 content tokens every 3: each token lies in up to two windows
        NerInputs inputs = new NerInputs(TinyNer.tokenizer(), TAGS, 8, 3);
        int k = TAGS.size();
        CrfParameters zero = new CrfParameters(new double[k], new double[k][k], new double[k]);
        decoder = new NerDecoder(inputs, zero.constrained(TransitionConstraints.bio(TAGS)));
    }

    /** Emissions of every window favouring {@code tokenTags} (content tokens) by {@code margin}; O at [CLS]/[SEP]. */
    private static List<double[][]> emissions(NerDecoder.Windows w, String[] tokenTags, double margin) {
        List<double[][]> out = new ArrayList<>();
        List<SlidingWindows.Window> wins = w.texts().get(0).windows();
        for (int i = 0; i < w.size(); i++) {
            SlidingWindows.Window win = wins.get(i);
            double[][] e = new double[w.ids(i).length + 3][TAGS.size()]; // 3 padding rows, never read
            for (int c = 0; c < w.ids(i).length; c++) {
                boolean content = c > 0 && c <= win.length();
                e[c][TAGS.index(content ? tokenTags[win.start() + c - 1] : "O")] = margin;
            }
            for (int c = w.ids(i).length; c < e.length; c++) {
                e[c][TAGS.index("I-PS")] = 1e6;
            }
            out.add(e);
        }
        return out;
    }

    private static String[] tags(int n, int from, int to, String type) {
        String[] t = new String[n];
        java.util.Arrays.fill(t, "O");
        t[from] = "B-" + type;
        for (int i = from + 1; i < to; i++) {
            t[i] = "I-" + type;
        }
        return t;
    }

    @Test
    void confidentWindowsGiveTheirEntityWithProbabilityNearOne() {
        NerDecoder.Windows w = decoder.windows(List.of(TEXT));
        Encoding enc = w.texts().get(0).encoding();
        assertThat(w.size()).as("windows").isGreaterThanOrEqualTo(3);
        String[] want = tags(enc.length(), 2, 5, "PS");
        TaggedSentence s = decoder.decode(w, emissions(w, want, 20)).get(0);
        assertThat(s.tokenTags()).containsExactly(want);
        Entity e = s.entities().get(0);
        assertThat(s.entities()).hasSize(1);
        assertThat(e.sameSpan(new Entity("PS", enc.starts()[2], enc.ends()[4], TEXT.substring(enc.starts()[2],
                enc.ends()[4])))).as("%s", e).isTrue();
        assertThat(e.score()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void uncertainEmissionsGiveAProbabilityBelowOne() {
        NerDecoder.Windows w = decoder.windows(List.of(TEXT));
        int n = w.texts().get(0).encoding().length();
        // an entity across the overlap of the first two windows, weakly favoured
        String[] want = tags(n, 3, 6, "LC");
        TaggedSentence s = decoder.decode(w, emissions(w, want, 3)).get(0);
        assertThat(s.tokenTags()).containsExactly(want);
        assertThat(s.entities()).hasSize(1);
        assertThat(s.entities().get(0).score()).isBetween(0.05, 0.95);
        // stronger emissions, more confidence
        double stronger = decoder.decode(w, emissions(w, want, 6)).get(0).entities().get(0).score();
        assertThat(stronger).isGreaterThan(s.entities().get(0).score()).isLessThan(1.0);
    }

    @Test
    void aScoreTemperatureDividesThePotentialsAndLeavesTagsAlone() {
        NerDecoder.Windows w = decoder.windows(List.of(TEXT));
        int n = w.texts().get(0).encoding().length();
        String[] want = tags(n, 3, 6, "LC");
        // zero transitions (forbidden ones -inf): emissions of strength 6 at temperature 2 are those of 3 at 1
        TaggedSentence hot = decoder.withTemperature(2).decode(w, emissions(w, want, 6)).get(0);
        TaggedSentence three = decoder.decode(w, emissions(w, want, 3)).get(0);
        TaggedSentence six = decoder.decode(w, emissions(w, want, 6)).get(0);
        assertThat(hot.tokenTags()).containsExactly(six.tokenTags());
        assertThat(hot.entities()).hasSize(1);
        assertThat(hot.entities().get(0).sameSpan(six.entities().get(0))).isTrue();
        assertThat(hot.entities().get(0).score()).isCloseTo(three.entities().get(0).score(), within(1e-12))
                .isLessThan(six.entities().get(0).score());
        assertThat(decoder.temperature()).isEqualTo(1.0);
        assertThat(decoder.withTemperature(2).temperature()).isEqualTo(2.0);
        assertThatThrownBy(() -> decoder.withTemperature(0)).hasMessageContaining("temperature");
    }

    @Test
    void floatLogitsDecodeAsDoubles() {
        NerDecoder.Windows w = decoder.windows(List.of(TEXT, ""));
        int n = w.texts().get(0).encoding().length();
        assertThat(w.first()).endsWith(w.size() - 1, w.size()); // the empty text is one window of [CLS] [SEP]
        List<double[][]> e = new ArrayList<>(emissions(decoder.windows(List.of(TEXT)), tags(n, 0, 2, "DT"), 4));
        e.add(new double[2][TAGS.size()]);
        float[][][] f = new float[e.size()][][];
        for (int i = 0; i < f.length; i++) {
            f[i] = new float[e.get(i).length][TAGS.size()];
            for (int t = 0; t < f[i].length; t++) {
                for (int j = 0; j < TAGS.size(); j++) {
                    f[i][t][j] = (float) e.get(i)[t][j];
                }
            }
        }
        List<TaggedSentence> a = decoder.decode(w, e);
        List<TaggedSentence> b = decoder.decode(w, f);
        assertThat(b.get(0).entities()).isEqualTo(a.get(0).entities());
        assertThat(b.get(1).entities()).isEmpty();
        assertThatThrownBy(() -> decoder.decode(w, e.subList(0, 1))).hasMessageContaining("emission arrays for " + w.size());
        f[0] = new float[2][TAGS.size()];
        assertThatThrownBy(() -> decoder.decode(w, f)).hasMessageContaining("logits of window 0 have 2 steps");
    }
}
