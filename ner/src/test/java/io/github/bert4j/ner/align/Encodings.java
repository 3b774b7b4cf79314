package io.github.bert4j.ner.align;

import io.github.bert4j.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.List;

/** Hand-built encodings for alignment tests: [CLS] + tokens given as (token, start, end) + [SEP]. */
public final class Encodings {

    private Encodings() {
    }

    /** Each token as {@code "piece@start-end"}, e.g. {@code "김철@0-2"}, {@code "[UNK]@0-3"}. */
    public static Encoding of(String... pieces) {
        List<String> toks = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        toks.add("[CLS]");
        spans.add(new int[] {0, 0});
        for (String p : pieces) {
            int at = p.lastIndexOf('@');
            String[] se = p.substring(at + 1).split("-");
            toks.add(p.substring(0, at));
            spans.add(new int[] {Integer.parseInt(se[0]), Integer.parseInt(se[1])});
        }
        toks.add("[SEP]");
        spans.add(new int[] {0, 0});
        int n = toks.size();
        int[] ids = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] words = new int[n];
        int[] special = new int[n];
        int[] attention = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 10 + i;
            starts[i] = spans.get(i)[0];
            ends[i] = spans.get(i)[1];
            boolean sp = i == 0 || i == n - 1;
            special[i] = sp ? 1 : 0;
            words[i] = sp ? -1 : i - 1;
            attention[i] = 1;
        }
        return new Encoding(ids, new int[n], toks.toArray(String[]::new), starts, ends, words, special, attention);
    }
}
