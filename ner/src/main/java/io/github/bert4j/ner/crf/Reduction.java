package io.github.bert4j.ner.crf;

/** How per-sequence negative log-likelihoods are combined, as in pytorch-crf. */
public enum Reduction {
    /** One value per sequence, shape {@code [B]}. */
    NONE,
    /** Sum over the batch (pytorch-crf's default). */
    SUM,
    /** Sum over the batch divided by the batch size. */
    MEAN,
    /** Sum over the batch divided by the number of unmasked time steps. */
    TOKEN_MEAN
}
