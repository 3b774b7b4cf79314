package io.github.bert4j.ner;

import io.github.bert4j.ner.align.LabelAligner;
import io.github.bert4j.ner.align.SlidingWindows;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns sentences into model inputs: the tokenizer's encoding WITHOUT special tokens, cut into
 * {@link SlidingWindows} of at most {@code maxLength - 2} tokens, each wrapped as {@code [CLS] ...
 * [SEP]}. Special-token ids come from the vocabulary. Sentences longer than {@code maxLength} are
 * never truncated: training sees every window, prediction stitches them.
 */
public final class NerInputs {

    /** A text, its encoding (no special tokens) and its windows. */
    public record Prepared(String text, Encoding encoding, List<SlidingWindows.Window> windows) {}

    private final Tokenizer tokenizer;
    private final TagSet tags;
    private final int maxLength;
    private final int stride;
    private final int cls;
    private final int sep;

    /**
     * @param maxLength model input length including [CLS] and [SEP], >= 3
     * @param stride distance between window starts for long sentences, 1..maxLength-2
     */
    public NerInputs(Tokenizer tokenizer, TagSet tags, int maxLength, int stride) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("max_length must be >= 3, got " + maxLength);
        }
        if (stride < 1 || stride > maxLength - 2) {
            throw new IllegalArgumentException("stride must be in [1, " + (maxLength - 2) + "], got " + stride);
        }
        this.tokenizer = tokenizer.withoutTruncation().withoutPadding();
        this.tags = tags;
        this.maxLength = maxLength;
        this.stride = stride;
        this.cls = tokenizer.vocab().clsId();
        this.sep = tokenizer.vocab().sepId();
        if (cls < 0 || sep < 0) {
            throw new IllegalArgumentException("the tokenizer's vocabulary has no [CLS] or [SEP] token");
        }
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public TagSet tags() {
        return tags;
    }

    public int maxLength() {
        return maxLength;
    }

    public int stride() {
        return stride;
    }

    public Prepared prepare(String text) {
        Encoding enc = tokenizer.encode(text, false);
        return new Prepared(text, enc, SlidingWindows.plan(enc.length(), maxLength - 2, stride));
    }

    /** {@code [CLS] ids[window] [SEP]}. */
    public int[] windowIds(Prepared p, SlidingWindows.Window w) {
        int[] ids = new int[w.length() + 2];
        ids[0] = cls;
        System.arraycopy(p.encoding().ids(), w.start(), ids, 1, w.length());
        ids[ids.length - 1] = sep;
        return ids;
    }

    /** Gold token tags (valid IOB2) of the content tokens of a sentence. */
    public String[] goldTokenTags(NerSentence s, Prepared p) {
        return LabelAligner.tokenTags(s.text(), s.charTags(), p.encoding());
    }

    /** Training windows of a sentence: ids and tag indices ({@code O} at [CLS]/[SEP]). */
    public List<NerExample> examples(NerSentence s) {
        Prepared p = prepare(s.text());
        String[] gold = goldTokenTags(s, p);
        int o = tags.outside();
        List<NerExample> out = new ArrayList<>();
        for (SlidingWindows.Window w : p.windows()) {
            int[] t = new int[w.length() + 2];
            Arrays.fill(t, o);
            String[] windowTags = Arrays.copyOfRange(gold, w.start(), w.end());
            io.github.bert4j.ner.align.Iob.repair(windowTags); // a window may start inside an entity
            for (int i = 0; i < windowTags.length; i++) {
                t[i + 1] = tags.index(windowTags[i]);
            }
            out.add(new NerExample(windowIds(p, w), t));
        }
        return out;
    }

    /** All training windows of the sentences, in order. */
    public List<NerExample> examples(List<NerSentence> sentences) {
        List<NerExample> out = new ArrayList<>();
        for (NerSentence s : sentences) {
            out.addAll(examples(s));
        }
        return out;
    }
}
