package io.github.bert4j.bert.pretraining.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Masked-language-model targets as in BERT (Devlin et al. 2019, section 3.1 and appendix A.1) and
 * Google's {@code create_masked_lm_predictions}:
 *
 * <ul>
 *   <li>Candidates are the non-special tokens; {@code round(n * mask_ratio)} of the {@code n}
 *       candidates (at least 1, at most {@code max_predictions_per_seq}) are chosen <em>without
 *       replacement</em> (a shuffled candidate list is consumed in order, so no position is chosen
 *       twice).
 *   <li>Each chosen position becomes {@code [MASK]} with probability 0.8, a random non-special
 *       token with probability 0.1, and stays unchanged with probability 0.1; its label is the
 *       original id.
 *   <li>Whole-word masking (optional): a word is a token together with the {@code ##} pieces that
 *       directly follow it; words are chosen as units, and a word that would exceed the budget is
 *       skipped (as Google does), so every word is masked completely or not at all. The 80/10/10
 *       choice is still made per token.
 * </ul>
 *
 * Note one difference to Google's script: its {@code n} counts {@code [CLS]} and {@code [SEP]}
 * too, so its rate over real tokens is slightly above {@code mask_ratio}; here {@code n} is the
 * number of candidates. Instances and outputs are plain int arrays; the class is immutable and
 * thread-safe (randomness comes from the caller's generator).
 */
public final class Masking {

    private final SpecialTokens special;
    private final double ratio;
    private final int maxPredictions;
    private final boolean wholeWord;
    private final int[] ordinary;

    /**
     * @param ratio fraction of candidate tokens to predict, in (0, 1] (0.15)
     * @param maxPredictions cap on predictions per sequence (20 for max_len 128)
     * @param wholeWord mask whole words over {@code ##} pieces
     */
    public Masking(SpecialTokens special, double ratio, int maxPredictions, boolean wholeWord) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("mask_ratio must be in (0, 1], got " + ratio);
        }
        if (maxPredictions < 1) {
            throw new IllegalArgumentException("max_predictions_per_seq must be >= 1, got " + maxPredictions);
        }
        this.special = special;
        this.ratio = ratio;
        this.maxPredictions = maxPredictions;
        this.wholeWord = wholeWord;
        this.ordinary = special.ordinaryIds();
        if (ordinary.length == 0) {
            throw new IllegalArgumentException("the vocabulary has no non-special tokens");
        }
    }

    public int maxPredictions() {
        return maxPredictions;
    }

    /** The number of predictions for {@code candidates} maskable tokens. */
    public int budget(int candidates) {
        if (candidates == 0) {
            return 0;
        }
        return Math.min(Math.min(maxPredictions, candidates), Math.max(1, (int) Math.round(candidates * ratio)));
    }

    /** Masks {@code instance} with randomness from {@code rng}. */
    public MaskedInstance mask(PretrainingInstance instance, SplittableRandom rng) {
        int[] tokens = instance.tokens();
        int n = tokens.length;
        // words: start offsets into cand[] of each unit (a token plus its following ## pieces)
        int[] cand = new int[n];
        int[] wordStart = new int[n + 1];
        int candidates = 0;
        int words = 0;
        for (int i = 0; i < n; i++) {
            int id = tokens[i];
            if (special.isSpecial(id)) {
                continue;
            }
            boolean joins = wholeWord && special.isContinuation(id) && candidates > 0 && cand[candidates - 1] == i - 1;
            if (!joins) {
                wordStart[words++] = candidates;
            }
            cand[candidates++] = i;
        }
        wordStart[words] = candidates;
        int budget = budget(candidates);

        int[] order = new int[words];
        for (int w = 0; w < words; w++) {
            order[w] = w;
        }
        Seeds.shuffle(order, rng);

        int[] input = tokens.clone();
        int[] chosen = new int[budget];
        int count = 0;
        for (int w : order) {
            if (count >= budget) {
                break;
            }
            int size = wordStart[w + 1] - wordStart[w];
            if (count + size > budget) {
                continue;
            }
            for (int k = wordStart[w]; k < wordStart[w + 1]; k++) {
                int pos = cand[k];
                chosen[count++] = pos;
                if (rng.nextDouble() < 0.8) {
                    input[pos] = special.mask();
                } else if (rng.nextDouble() < 0.5) {
                    input[pos] = ordinary[rng.nextInt(ordinary.length)];
                } // else: keep the original token
            }
        }
        int[] positions = Arrays.copyOf(chosen, count);
        Arrays.sort(positions);
        int[] labels = new int[count];
        for (int k = 0; k < count; k++) {
            labels[k] = tokens[positions[k]];
        }
        return new MaskedInstance(input, instance.typeIds(), positions, labels, instance.nspLabel());
    }
}
