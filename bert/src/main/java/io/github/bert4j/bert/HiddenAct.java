package io.github.bert4j.bert;

import java.util.Arrays;
import java.util.List;

/**
 * The feed-forward (and MLM transform) activation, {@code hidden_act} in {@code config.json}: the
 * closed set of HuggingFace's spellings bert4j computes. Every engine, the heads and ONNX export
 * switch on this enum, never on the string.
 */
public enum HiddenAct {
    /** Exact GELU {@code 0.5 x (1 + erf(x / √2))} ({@code "gelu"}). */
    GELU("gelu"),
    /** The tanh approximation {@code 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))} ({@code "gelu_new"}). */
    GELU_NEW("gelu_new"),
    /** The same tanh approximation under PyTorch's name ({@code "gelu_pytorch_tanh"}). */
    GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
    /** {@code max(0, x)} ({@code "relu"}). */
    RELU("relu");

    private final String hfName;

    HiddenAct(String hfName) {
        this.hfName = hfName;
    }

    /** The spelling in {@code config.json}. */
    public String hfName() {
        return hfName;
    }

    /** Whether this is one of the tanh approximations of GELU. */
    public boolean isTanhGelu() {
        return this == GELU_NEW || this == GELU_PYTORCH_TANH;
    }

    /** Every spelling, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(HiddenAct::hfName).toList();
    }

    /** The activation spelled {@code name} in {@code config.json}. */
    public static HiddenAct of(String name) {
        for (HiddenAct a : values()) {
            if (a.hfName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported hidden_act '" + name + "': expected one of " + names());
    }
}
