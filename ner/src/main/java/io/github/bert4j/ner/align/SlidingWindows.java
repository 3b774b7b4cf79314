package io.github.bert4j.ner.align;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a token sequence that is longer than the model's maximum into overlapping windows, and
 * says which window's prediction each token takes.
 *
 * <p>Policy (used for training, evaluation and prediction alike): a sentence of {@code n} content
 * tokens (special tokens excluded) that fits in {@code size} is one window; otherwise windows of
 * {@code size} tokens start every {@code stride} tokens, the last one ending at {@code n}. Every
 * token is covered; a token in several windows takes the prediction of the window in which it is
 * furthest from an edge (most context on both sides), ties to the earlier window. Nothing is ever
 * truncated. The stitched tag sequence is repaired to valid IOB2 by the caller.
 */
public final class SlidingWindows {

    /** Window {@code [start, end)} over content-token indices. */
    public record Window(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    private SlidingWindows() {
    }

    /**
     * @param n number of content tokens (>= 0)
     * @param size maximum content tokens per window (model max length minus 2 for [CLS]/[SEP])
     * @param stride distance between window starts, 1..size
     */
    public static List<Window> plan(int n, int size, int stride) {
        if (size < 1 || stride < 1 || stride > size) {
            throw new IllegalArgumentException("need 1 <= stride <= size, got size " + size + ", stride " + stride);
        }
        List<Window> out = new ArrayList<>();
        if (n <= size) {
            out.add(new Window(0, n));
            return out;
        }
        int start = 0;
        while (true) {
            if (start + size >= n) {
                out.add(new Window(n - size, n));
                return out;
            }
            out.add(new Window(start, start + size));
            start += stride;
        }
    }

    /** For each token, the index of the window whose prediction it takes. */
    public static int[] owners(int n, List<Window> windows) {
        int[] owner = new int[n];
        int[] best = new int[n];
        java.util.Arrays.fill(owner, -1);
        java.util.Arrays.fill(best, -1);
        for (int w = 0; w < windows.size(); w++) {
            Window win = windows.get(w);
            for (int t = win.start(); t < win.end(); t++) {
                int margin = Math.min(t - win.start(), win.end() - 1 - t);
                if (margin > best[t]) {
                    best[t] = margin;
                    owner[t] = w;
                }
            }
        }
        return owner;
    }
}
