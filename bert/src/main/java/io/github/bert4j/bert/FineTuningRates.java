package io.github.bert4j.bert;

/**
 * Learning-rate groups for fine-tuning a BERT encoder with a new head, as a {@code
 * TrainableModel.learningRateScale}: the factor by which each parameter's scheduled learning rate
 * is multiplied.
 *
 * <ul>
 *   <li>the head (every parameter outside {@code bert.}: a classifier, a CRF) gets {@code headScale};
 *   <li>with layer-wise decay {@code layerDecay} = d, Transformer layer {@code i} of {@code L} gets
 *       d<sup>L−1−i</sup> (the top layer 1), the embeddings d<sup>L</sup>; the pooler sits on top
 *       and gets 1 (as in ELECTRA's and the KLUE baselines' layer-wise decay).
 * </ul>
 *
 * {@code FineTuningRates.NONE} (1, 1) leaves every rate at the schedule's.
 *
 * @param headScale factor of the head's parameters, {@code > 0}
 * @param layerDecay per-layer factor in {@code (0, 1]}
 * @param layers the encoder's number of Transformer layers
 */
public record FineTuningRates(double headScale, double layerDecay, int layers) {

    /** No groups: every parameter at the scheduled rate. */
    public static final FineTuningRates NONE = new FineTuningRates(1.0, 1.0, 1);

    public FineTuningRates {
        if (!(headScale > 0 && Double.isFinite(headScale))) {
            throw new IllegalArgumentException("head learning-rate scale must be finite and > 0, got " + headScale);
        }
        if (!(layerDecay > 0 && layerDecay <= 1)) {
            throw new IllegalArgumentException("layer-wise learning-rate decay must be in (0, 1], got " + layerDecay);
        }
        if (layers < 1) throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    }

    /** The factor of parameter {@code name} (HuggingFace names, {@code bert.} prefix). */
    public double scale(String name) {
        if (!name.startsWith(HfNames.ENCODER)) return headScale;
        if (layerDecay == 1.0) return 1.0;
        int i = HfNames.layerIndex(name);
        if (i >= 0) {
            if (i >= layers) {
                throw new IllegalArgumentException(name + ": layer " + i + " outside the encoder's " + layers + " layers");
            }
            return Math.pow(layerDecay, layers - 1 - i);
        }
        if (name.startsWith(HfNames.EMBEDDINGS + ".")) return Math.pow(layerDecay, layers);
        return 1.0; // pooler: above the last layer
    }
}
