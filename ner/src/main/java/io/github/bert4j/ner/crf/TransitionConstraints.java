package io.github.bert4j.ner.crf;

import io.github.bert4j.ner.data.TagSet;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which tag may start a sequence, follow another tag and end a sequence.
 *
 * <p>Decoding ({@link CrfMath}) treats a forbidden move as {@code -inf}, so a decoded path never
 * contains one. The training graph ({@link LinearChainCrf}) adds {@link #FORBIDDEN} (a large
 * finite negative number, never {@code -inf}, so masked arithmetic stays NaN-free) to the
 * corresponding transition, start and end scores; forbidden paths then carry a weight of about
 * {@code exp(-1e6)} in the partition function, i.e. none. Gold paths must obey the constraints
 * (the {@code LabelAligner} repairs token tags to valid IOB2), otherwise their loss is about
 * {@code 1e6}.
 *
 * @param start {@code start[j]}: tag j may begin a sequence, length K
 * @param transitions {@code transitions[i][j]}: tag j may follow tag i, K x K
 * @param end {@code end[i]}: tag i may end a sequence, length K
 */
public record TransitionConstraints(boolean[] start, boolean[][] transitions, boolean[] end) {

    /** The penalty added to forbidden scores in the training graph. */
    public static final double FORBIDDEN = -1e6;

    public TransitionConstraints {
        int k = start.length;
        if (transitions.length != k || end.length != k) {
            throw new IllegalArgumentException("start, transitions and end must all have K = " + k + " entries");
        }
        for (boolean[] row : transitions) {
            if (row.length != k) {
                throw new IllegalArgumentException("transitions must be " + k + " x " + k);
            }
        }
    }

    /** Everything allowed. */
    public static TransitionConstraints none(int numTags) {
        boolean[] s = new boolean[numTags];
        boolean[] e = new boolean[numTags];
        boolean[][] t = new boolean[numTags][numTags];
        Arrays.fill(s, true);
        Arrays.fill(e, true);
        for (boolean[] row : t) {
            Arrays.fill(row, true);
        }
        return new TransitionConstraints(s, t, e);
    }

    /**
     * IOB2: {@code I-X} only after {@code B-X} or {@code I-X}, never first. Everything else is
     * allowed (any tag may end a sequence).
     */
    public static TransitionConstraints bio(TagSet tags) {
        int k = tags.size();
        TransitionConstraints c = none(k);
        for (int j = 0; j < k; j++) {
            if (!tags.isInside(j)) {
                continue;
            }
            c.start[j] = false;
            String type = tags.type(j);
            for (int i = 0; i < k; i++) {
                c.transitions[i][j] = type.equals(tags.type(i));
            }
        }
        return c;
    }

    public int numTags() {
        return start.length;
    }

    /** Whether the path obeys every constraint ({@code length} first entries of {@code path}). */
    public boolean allows(int[] path, int length) {
        if (length == 0) {
            return true;
        }
        if (!start[path[0]] || !end[path[length - 1]]) {
            return false;
        }
        for (int t = 1; t < length; t++) {
            if (!transitions[path[t - 1]][path[t]]) {
                return false;
            }
        }
        return true;
    }

    /** {@code [K]} array: 0 where allowed, {@link #FORBIDDEN} elsewhere. */
    public INDArray startPenalty(DataType dtype) {
        return penalty(start, dtype);
    }

    /** {@code [K]} array: 0 where allowed, {@link #FORBIDDEN} elsewhere. */
    public INDArray endPenalty(DataType dtype) {
        return penalty(end, dtype);
    }

    /** {@code [K, K]} array: 0 where allowed, {@link #FORBIDDEN} elsewhere. */
    public INDArray transitionPenalty(DataType dtype) {
        int k = numTags();
        double[][] p = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                p[i][j] = transitions[i][j] ? 0 : FORBIDDEN;
            }
        }
        return Nd4j.createFromArray(p).castTo(dtype);
    }

    boolean anyForbidden() {
        for (int i = 0; i < numTags(); i++) {
            if (!start[i] || !end[i]) {
                return true;
            }
            for (boolean b : transitions[i]) {
                if (!b) {
                    return true;
                }
            }
        }
        return false;
    }

    private static INDArray penalty(boolean[] allowed, DataType dtype) {
        double[] p = new double[allowed.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = allowed[i] ? 0 : FORBIDDEN;
        }
        return Nd4j.createFromArray(p).castTo(dtype);
    }
}
