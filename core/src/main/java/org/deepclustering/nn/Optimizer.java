package org.deepclustering.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** Applies one optimizer step to a flat parameter vector from a flat gradient vector (gradient is overwritten). */
final class Optimizer {
    private final OptimizerConfig cfg;
    private final INDArray params;
    private final GradientUpdater<?> updater; // null for SGD_MOMENTUM
    private final INDArray velocity;          // SGD_MOMENTUM only
    private final FusedAdam fusedAdam;        // ADAM when the buffers are engine-owned
    private final PortableAdam portableAdam;  // ADAM on the portable engine
    private int iteration;

    Optimizer(OptimizerConfig cfg, INDArray params) {
        this(cfg, params, null, null);
    }

    /** With engine-owned parameter and gradient buffers, Adam runs as a fused Java kernel (see {@link FusedAdam}). */
    Optimizer(OptimizerConfig cfg, INDArray params, Blas.Buffer paramBuf, Blas.Buffer gradBuf) {
        this(cfg, params, paramBuf, gradBuf, false);
    }

    /**
     * For the portable engine: ND4J operations only (any backend). Adam is {@link PortableAdam} (the same arithmetic as
     * {@link FusedAdam}, PyTorch's Adam); the other optimizers are ND4J's updaters, as on the CPU engine.
     */
    static Optimizer portable(OptimizerConfig cfg, INDArray params) {
        return new Optimizer(cfg, params, null, null, true);
    }

    private Optimizer(OptimizerConfig cfg, INDArray params, Blas.Buffer paramBuf, Blas.Buffer gradBuf, boolean portable) {
        this.cfg = cfg;
        this.params = params;
        long n = params.length();
        ISchedule lr = cfg.getDecayEveryEpochs() > 0 && cfg.getDecayFactor() != 1.0
                ? new StepSchedule(ScheduleType.EPOCH, cfg.getLearningRate(), cfg.getDecayFactor(), cfg.getDecayEveryEpochs())
                : null;
        IUpdater u = switch (cfg.getType()) {
            case ADAM -> lr != null ? new Adam(lr) : new Adam(cfg.getLearningRate(), cfg.getBeta1(), cfg.getBeta2(), cfg.getEpsilon());
            case SGD -> lr != null ? new Sgd(lr) : new Sgd(cfg.getLearningRate());
            case NESTEROV -> lr != null ? new Nesterovs(lr, cfg.getMomentum()) : new Nesterovs(cfg.getLearningRate(), cfg.getMomentum());
            case ADADELTA -> new AdaDelta(cfg.getRho(), cfg.getEpsilon());
            case SGD_MOMENTUM -> null;
        };
        if (u instanceof Adam a && lr != null) {
            a.setBeta1(cfg.getBeta1());
            a.setBeta2(cfg.getBeta2());
            a.setEpsilon(cfg.getEpsilon());
        }
        if (cfg.getType() == OptimizerConfig.Type.ADAM && paramBuf != null && gradBuf != null && n <= Integer.MAX_VALUE) {
            fusedAdam = new FusedAdam(paramBuf.ptr(0), gradBuf.ptr(0), n, cfg.getBeta1(), cfg.getBeta2(), cfg.getEpsilon());
            portableAdam = null;
            updater = null;
            velocity = null;
            return;
        }
        fusedAdam = null;
        if (portable && cfg.getType() == OptimizerConfig.Type.ADAM) {
            portableAdam = new PortableAdam(params, cfg.getBeta1(), cfg.getBeta2(), cfg.getEpsilon());
            updater = null;
            velocity = null;
            return;
        }
        portableAdam = null;
        if (u == null) {
            updater = null;
            velocity = Nd4j.create(DataType.FLOAT, 1, n);
        } else {
            long stateSize = u.stateSize(n);
            INDArray stateView = stateSize > 0 ? Nd4j.create(DataType.FLOAT, 1, stateSize) : null;
            updater = u.instantiate(stateView, true);
            velocity = null;
        }
    }

    int iteration() { return iteration; }

    /**
     * Whether one step can be applied range by range ({@link #stepRange}, then {@link #endStep}): Adam on engine-owned
     * buffers, whose update of a parameter depends only on that parameter's own gradient and moments.
     */
    boolean stepsByRange() { return fusedAdam != null; }

    /** The current step's update of the parameters {@code [from, to)}; see {@link #stepsByRange}. */
    void stepRange(int epoch, long from, long to) {
        if (fusedAdam == null) throw new IllegalStateException("this optimizer updates all parameters at once");
        fusedAdam.step(cfg.learningRateAt(epoch), iteration + 1, (int) from, (int) to);
    }

    /** Ends a step applied by {@link #stepRange} (every range exactly once). */
    void endStep() {
        iteration++;
    }

    /** params -= update(gradient); the gradient vector is used as scratch. */
    void step(INDArray gradient, int epoch) {
        if (fusedAdam != null) {
            fusedAdam.step(cfg.learningRateAt(epoch), iteration + 1);
        } else if (portableAdam != null) {
            portableAdam.step(gradient, cfg.learningRateAt(epoch), iteration + 1);
        } else if (updater == null) { // classic momentum: v = m v + lr g; p -= v
            double lr = cfg.learningRateAt(epoch);
            velocity.muli(cfg.getMomentum()).addi(gradient.muli(lr));
            params.subi(velocity);
        } else {
            updater.applyUpdater(gradient, iteration, epoch);
            if (cfg.getType() == OptimizerConfig.Type.ADADELTA) {
                double lr = cfg.learningRateAt(epoch);
                if (lr != 1.0) gradient.muli(lr);
            }
            params.subi(gradient);
        }
        iteration++;
    }
}
