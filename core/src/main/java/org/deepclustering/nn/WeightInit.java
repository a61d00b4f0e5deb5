package org.deepclustering.nn;

/**
 * How an autoencoder's weights are drawn at creation (biases are always 0). Both are uniform on [-limit, limit]; the
 * fans of a convolution count kernel area times channels, as Keras does.
 */
public enum WeightInit {
    /** limit sqrt(6 / (fanIn + fanOut)): Keras' default, used by the IDEC and DEKM code (the default here). */
    GLOROT_UNIFORM,
    /**
     * limit sqrt(1 / fanIn): the DEC-Keras code's {@code VarianceScaling(scale=1/3, mode='fan_in',
     * distribution='uniform')}, which it pairs with SGD (learning rate 1, momentum 0.9) pretraining; also PyTorch's
     * {@code nn.Linear} default.
     */
    FAN_IN_UNIFORM;

    /** The bound of the uniform distribution for a layer with these fans. */
    public double limit(double fanIn, double fanOut) {
        return switch (this) {
            case GLOROT_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
            case FAN_IN_UNIFORM -> Math.sqrt(1.0 / fanIn);
        };
    }
}
