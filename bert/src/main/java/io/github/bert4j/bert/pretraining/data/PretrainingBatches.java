package io.github.bert4j.bert.pretraining.data;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Packs masked instances into a {@link PretrainingBatch}: INT32 {@code [B,T]} ids, type ids and
 * attention mask, padded with {@code [PAD]} (type 0, mask 0) to the longest sequence of the batch
 * (or to a fixed length); INT32 {@code [B,P]} MLM positions and labels and FLOAT {@code [B,P]}
 * weights, padded with position 0 / label 0 / weight 0 to the most predictions in the batch; INT32
 * {@code [B]} NSP labels, where an MLM-only sequence carries {@link PretrainingInstance#NO_NSP}
 * (-1: no NSP target, to be ignored by the NSP loss as HuggingFace ignores label -100).
 */
public final class PretrainingBatches {

    private PretrainingBatches() {
    }

    /**
     * @param padTo pad every row to this length, or {@code -1} for the longest sequence in the batch
     */
    public static PretrainingBatch assemble(List<MaskedInstance> batch, int padId, int padTo) {
        int b = batch.size();
        int t = 0;
        int p = 1;
        for (MaskedInstance m : batch) {
            t = Math.max(t, m.length());
            p = Math.max(p, m.positions().length);
        }
        if (padTo > 0) {
            if (t > padTo) {
                throw new IllegalArgumentException("a sequence of " + t + " tokens exceeds the padded length " + padTo);
            }
            t = padTo;
        }
        int[][] ids = new int[b][t];
        int[][] types = new int[b][t];
        int[][] mask = new int[b][t];
        int[][] positions = new int[b][p];
        int[][] labels = new int[b][p];
        float[][] weights = new float[b][p];
        int[] nsp = new int[b];
        for (int i = 0; i < b; i++) {
            MaskedInstance m = batch.get(i);
            int n = m.length();
            System.arraycopy(m.inputIds(), 0, ids[i], 0, n);
            java.util.Arrays.fill(ids[i], n, t, padId);
            System.arraycopy(m.typeIds(), 0, types[i], 0, n);
            java.util.Arrays.fill(mask[i], 0, n, 1);
            System.arraycopy(m.positions(), 0, positions[i], 0, m.positions().length);
            System.arraycopy(m.labels(), 0, labels[i], 0, m.labels().length);
            java.util.Arrays.fill(weights[i], 0, m.positions().length, 1f);
            nsp[i] = m.nspLabel();
        }
        return new PretrainingBatch(
                Nd4j.createFromArray(ids),
                Nd4j.createFromArray(types),
                Nd4j.createFromArray(mask),
                Nd4j.createFromArray(positions),
                Nd4j.createFromArray(labels),
                Nd4j.createFromArray(weights).castTo(DataType.FLOAT),
                Nd4j.createFromArray(nsp));
    }
}
