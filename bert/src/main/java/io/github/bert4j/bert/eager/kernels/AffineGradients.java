package io.github.bert4j.bert.eager.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two parameter gradients of an affine block (a Linear layer's W and b, a LayerNorm's γ and
 * β), as a kernel returns them: new arrays, named by whoever owns the parameters.
 *
 * @param weight gradient of W ({@code [out,in]}) or γ ({@code [H]})
 * @param bias gradient of b ({@code [out]}) or β ({@code [H]})
 */
public record AffineGradients(INDArray weight, INDArray bias) {}
