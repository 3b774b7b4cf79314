package io.github.bert4j.bert.pretraining.data;

/**
 * A pretraining sequence after masking: what the model sees and what it must predict.
 *
 * @param inputIds token ids with the chosen positions replaced ({@code [MASK]}, random, or kept)
 * @param typeIds token type ids
 * @param positions the masked positions, ascending, each at most once
 * @param labels the original token id at each masked position
 * @param nspLabel 0 IsNext, 1 NotNext, -1 no NSP target
 */
public record MaskedInstance(int[] inputIds, int[] typeIds, int[] positions, int[] labels, int nspLabel) {
    public MaskedInstance {
        if (inputIds.length != typeIds.length || positions.length != labels.length) {
            throw new IllegalArgumentException("inconsistent lengths");
        }
    }

    public int length() {
        return inputIds.length;
    }
}
