package org.deepclustering.algorithms;

import java.util.SplittableRandom;
import org.deepclustering.nn.AutoencoderTrainer;
import org.deepclustering.nn.ForwardPass;
import org.deepclustering.train.TrainingMonitor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network sub-problem shared by DC-Kmeans and DC-GMM (DeepCluster, Tian, Zhou, Guan 2017, the θ-update of
 * (9)/(13)): with Y and the scaled dual U fixed, one epoch of mini-batch steps on
 * L_rec + α · (ρ/2) · mean_i ||f(x_i) − y_i + u_i||², where L_rec is the trainer's mean squared reconstruction error
 * (mean over all batch elements) and the constraint term is a mean over the batch of a sum over embedding
 * coordinates. Gradient of the constraint term with respect to f(x_i): α ρ (f(x_i) − y_i + u_i) / B.
 */
final class AdmmNetworkStep {
  private AdmmNetworkStep() {}

  /** Mean losses of one epoch. */
  record Losses(double reconstruction, double constraint) {}

  /**
   * @param y       n×e dummy variables, row-major
   * @param u       n×e scaled duals, row-major
   * @param order   row order, reshuffled here at the start of the epoch
   * @param epoch   0-based ADMM iteration (passed to the optimizer step)
   */
  static Losses epoch(AutoencoderTrainer trainer, INDArray x, double[] y, double[] u, double alpha, double rho,
      int[] order, SplittableRandom rng, TrainingMonitor monitor, int epoch) {
    int n = order.length;
    int e = trainer.autoencoder().embeddingDim();
    int batch = trainer.maxBatchSize();
    DEKM.shuffle(order, rng);
    double recSum = 0;
    double conSum = 0;
    int batches = 0;
    for (int from = 0; from < n; from += batch) {
      monitor.checkInterrupted();
      int b = Math.min(batch, n - from);
      ForwardPass f = trainer.forwardRows(x, order, from, from + b, true, true);
      float[] z = f.embedding().dup('c').data().asFloat();
      float[] grad = new float[b * e];
      double con = 0;
      double scale = alpha * rho / b;
      for (int i = 0; i < b; i++) {
        int row = order[from + i];
        for (int j = 0; j < e; j++) {
          double r = z[i * e + j] - y[row * e + j] + u[row * e + j];
          con += r * r;
          grad[i * e + j] = (float) (scale * r);
        }
      }
      con = alpha * rho / 2 * con / b;
      monitor.checkFinite("clustering", epoch, "admm-constraint", con);
      double rec = trainer.backwardAndStep(f, 1.0, Nd4j.create(grad, new long[] {b, e}, 'c'), epoch);
      monitor.checkFinite("clustering", epoch, "reconstruction", rec);
      recSum += rec;
      conSum += con;
      batches++;
    }
    return new Losses(recSum / batches, conSum / batches);
  }

  /** Dual update u_i ← u_i + f(x_i) − y_i; returns the mean primal residual ||f(x_i) − y_i||². */
  static double dualUpdate(double[] u, float[] h, double[] y, int rows) {
    double res = 0;
    for (int i = 0; i < u.length; i++) {
      double r = h[i] - y[i];
      u[i] += r;
      res += r * r;
    }
    return res / rows;
  }
}
