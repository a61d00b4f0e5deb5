package org.deepclustering.nn;

/** Activation function of a dense layer. All derivatives are computed from the layer's output. */
public enum Activation {
    /** max(0, x) */
    RELU,
    /** x for x &gt; 0, 0.01 x otherwise (slope {@link #LEAKY_SLOPE}) */
    LEAKY_RELU,
    TANH,
    SIGMOID,
    /** x for x &gt; 0, exp(x) - 1 otherwise */
    ELU,
    /** linear (used for the embedding and output layers) */
    IDENTITY;

    /** Negative slope of {@link #LEAKY_RELU} (as PyTorch's default). */
    public static final double LEAKY_SLOPE = 0.01;
}
