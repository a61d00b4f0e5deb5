package org.deepclustering.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Optimizer settings. Defaults: Adam, learning rate 0.001, beta 0.9/0.999, epsilon 1e-8 (as PyTorch), no decay.
 * The learning rate at epoch e (0-based) is {@code learningRate * decayFactor^floor(e / decayEveryEpochs)}
 * ({@code decayEveryEpochs = 0}: constant). Immutable; Jackson-serialisable.
 */
public final class OptimizerConfig {
    /** Optimizer type. */
    public enum Type {
        /** Adam exactly as PyTorch's torch.optim.Adam (fused kernel: bias-corrected moments, epsilon added to sqrt(v_hat)). */
        ADAM,
        /** plain SGD: p -= lr g */
        SGD,
        /** classic (heavy-ball) momentum as Keras/DEC: v = momentum v - lr g; p += v */
        SGD_MOMENTUM,
        /** Nesterov momentum (ND4J's updater) */
        NESTEROV,
        /** AdaDelta (ND4J's updater; rho, epsilon); the learning rate scales its update (1.0 = original AdaDelta) */
        ADADELTA
    }

    private final Type type;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double momentum;
    private final double rho;
    private final double decayFactor;
    private final int decayEveryEpochs;

    @JsonCreator
    public OptimizerConfig(@JsonProperty("type") Type type, @JsonProperty("learningRate") double learningRate,
                           @JsonProperty("beta1") double beta1, @JsonProperty("beta2") double beta2,
                           @JsonProperty("epsilon") double epsilon, @JsonProperty("momentum") double momentum,
                           @JsonProperty("rho") double rho, @JsonProperty("decayFactor") double decayFactor,
                           @JsonProperty("decayEveryEpochs") int decayEveryEpochs) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate))
            throw new IllegalArgumentException("learningRate must be positive: " + learningRate);
        if (!(decayFactor > 0)) throw new IllegalArgumentException("decayFactor must be positive: " + decayFactor);
        if (decayEveryEpochs < 0) throw new IllegalArgumentException("decayEveryEpochs must be >= 0: " + decayEveryEpochs);
        this.type = type == null ? Type.ADAM : type;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.rho = rho;
        this.decayFactor = decayFactor;
        this.decayEveryEpochs = decayEveryEpochs;
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().type(type).learningRate(learningRate).beta1(beta1).beta2(beta2).epsilon(epsilon)
                .momentum(momentum).rho(rho).decayFactor(decayFactor).decayEveryEpochs(decayEveryEpochs);
    }

    /** Adam with PyTorch's defaults (lr 0.001). */
    public static OptimizerConfig adam() { return builder().build(); }

    public static OptimizerConfig adam(double lr) { return builder().learningRate(lr).build(); }

    public static OptimizerConfig sgd(double lr) { return builder().type(Type.SGD).learningRate(lr).build(); }

    /** Classic momentum, e.g. DEC-keras: {@code sgdMomentum(1.0, 0.9)}. */
    public static OptimizerConfig sgdMomentum(double lr, double momentum) {
        return builder().type(Type.SGD_MOMENTUM).learningRate(lr).momentum(momentum).build();
    }

    public static OptimizerConfig nesterov(double lr, double momentum) {
        return builder().type(Type.NESTEROV).learningRate(lr).momentum(momentum).build();
    }

    /** AdaDelta, rho 0.95, epsilon 1e-6, learning rate 1.0. */
    public static OptimizerConfig adadelta() {
        return builder().type(Type.ADADELTA).learningRate(1.0).epsilon(1e-6).build();
    }

    public Type getType() { return type; }
    public double getLearningRate() { return learningRate; }
    public double getBeta1() { return beta1; }
    public double getBeta2() { return beta2; }
    /** Adam / AdaDelta epsilon. */
    public double getEpsilon() { return epsilon; }
    /** Momentum of SGD_MOMENTUM and NESTEROV. */
    public double getMomentum() { return momentum; }
    /** AdaDelta decay rate. */
    public double getRho() { return rho; }
    public double getDecayFactor() { return decayFactor; }
    public int getDecayEveryEpochs() { return decayEveryEpochs; }

    /** Learning rate at the given 0-based epoch after step decay. */
    @JsonIgnore
    public double learningRateAt(int epoch) {
        if (decayEveryEpochs <= 0 || decayFactor == 1.0) return learningRate;
        return learningRate * Math.pow(decayFactor, Math.floorDiv(Math.max(epoch, 0), decayEveryEpochs));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerConfig c)) return false;
        return type == c.type && learningRate == c.learningRate && beta1 == c.beta1 && beta2 == c.beta2
                && epsilon == c.epsilon && momentum == c.momentum && rho == c.rho && decayFactor == c.decayFactor
                && decayEveryEpochs == c.decayEveryEpochs;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Double.hashCode(learningRate) + 7 * Double.hashCode(momentum) + decayEveryEpochs;
    }

    @Override
    public String toString() {
        return "OptimizerConfig{" + type + ", lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps="
                + epsilon + ", momentum=" + momentum + ", rho=" + rho + ", decay=" + decayFactor + "/" + decayEveryEpochs + "}";
    }

    public static final class Builder {
        private Type type = Type.ADAM;
        private double learningRate = 0.001;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double momentum = 0.9;
        private double rho = 0.95;
        private double decayFactor = 1.0;
        private int decayEveryEpochs = 0;

        public Builder type(Type t) { this.type = t; return this; }
        public Builder learningRate(double v) { this.learningRate = v; return this; }
        public Builder beta1(double v) { this.beta1 = v; return this; }
        public Builder beta2(double v) { this.beta2 = v; return this; }
        public Builder epsilon(double v) { this.epsilon = v; return this; }
        public Builder momentum(double v) { this.momentum = v; return this; }
        public Builder rho(double v) { this.rho = v; return this; }
        public Builder decayFactor(double v) { this.decayFactor = v; return this; }
        public Builder decayEveryEpochs(int v) { this.decayEveryEpochs = v; return this; }

        public OptimizerConfig build() {
            return new OptimizerConfig(type, learningRate, beta1, beta2, epsilon, momentum, rho, decayFactor, decayEveryEpochs);
        }
    }
}
