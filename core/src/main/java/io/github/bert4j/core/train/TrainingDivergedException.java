package io.github.bert4j.core.train;

/**
 * Training produced a non-finite loss or gradient. Thrown before the step is applied, so the
 * parameters and every checkpoint on disk are the last good ones. The message names the step (the
 * 1-based optimizer step that failed), the quantity and, for a gradient, the parameter, e.g.
 * {@code step 1234: gradient of encoder.layer.3.attention.self.query.weight is not finite (norm
 * NaN)}.
 */
public class TrainingDivergedException extends RuntimeException {
    private final long step;
    private final String quantity;

    public TrainingDivergedException(long step, String quantity, String detail) {
        super("step " + step + ": " + quantity + " is not finite (" + detail + ")");
        this.step = step;
        this.quantity = quantity;
    }

    /** The 1-based optimizer step that diverged. */
    public long step() {
        return step;
    }

    /** What was not finite: {@code loss} or {@code gradient of <parameter>}. */
    public String quantity() {
        return quantity;
    }
}
