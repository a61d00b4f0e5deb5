package org.deepclustering.onnx;

import org.deepclustering.onnx.ExportSpec.BatchNorm;
import org.deepclustering.onnx.ExportSpec.Conv2dLayer;
import org.deepclustering.onnx.ExportSpec.DenseLayer;
import org.deepclustering.onnx.ExportSpec.EncoderLayer;
import org.deepclustering.onnx.ExportSpec.Preprocessing;

/** The exported computation in double precision, from the same spec: the yardstick for float32 rounding. */
final class DoubleReference {
  private DoubleReference() {}

  static double[] embed(ExportSpec s, float[] x) {
    Preprocessing p = s.preprocessing();
    int d = s.inputDim();
    double[] y = new double[d];
    double ss = 0;
    for (int j = 0; j < d; j++) {
      y[j] = ((double) x[j] - p.offset()[j]) * p.factor()[j];
      ss += y[j] * y[j];
    }
    if (p.sampleL2() && ss > 0) for (int j = 0; j < d; j++) y[j] *= Math.sqrt(d / ss);
    for (EncoderLayer el : s.encoder()) {
      if (el instanceof Conv2dLayer c) {
        y = conv(c, y);
        continue;
      }
      DenseLayer l = (DenseLayer) el;
      double[] o = new double[l.out()];
      for (int j = 0; j < l.out(); j++) {
        double a = l.bias()[j];
        for (int i = 0; i < l.in(); i++) a += y[i] * l.weight()[i * l.out() + j];
        o[j] = a;
      }
      BatchNorm b = l.batchNorm();
      if (b != null) for (int j = 0; j < o.length; j++) o[j] = b.gamma()[j] * (o[j] - b.mean()[j]) / Math.sqrt(b.var()[j] + b.eps()) + b.beta()[j];
      for (int j = 0; j < o.length; j++) {
        o[j] = switch (l.activation()) {
          case RELU -> Math.max(0, o[j]);
          case LEAKY_RELU -> o[j] > 0 ? o[j] : l.leakySlope() * o[j];
          case TANH -> Math.tanh(o[j]);
          case SIGMOID -> 1 / (1 + Math.exp(-o[j]));
          case ELU -> o[j] > 0 ? o[j] : Math.expm1(o[j]);
          case IDENTITY -> o[j];
        };
      }
      y = o;
    }
    return y;
  }

  /** Direct convolution from the definition, channels-last in and out. */
  static double[] conv(Conv2dLayer c, double[] x) {
    int k = c.kernel();
    double[] o = new double[c.outputWidth()];
    for (int oy = 0; oy < c.outH(); oy++) {
      for (int ox = 0; ox < c.outW(); ox++) {
        for (int f = 0; f < c.outC(); f++) {
          double a = c.bias()[f];
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int iy = oy * c.stride() - c.padTop() + ky;
              int ix = ox * c.stride() - c.padLeft() + kx;
              if (iy < 0 || iy >= c.inH() || ix < 0 || ix >= c.inW()) continue;
              for (int ch = 0; ch < c.inC(); ch++) {
                a += x[(iy * c.inW() + ix) * c.inC() + ch] * c.weight()[((ky * k + kx) * c.inC() + ch) * c.outC() + f];
              }
            }
          }
          o[(oy * c.outW() + ox) * c.outC() + f] = switch (c.activation()) {
            case RELU -> Math.max(0, a);
            case LEAKY_RELU -> a > 0 ? a : c.leakySlope() * a;
            case TANH -> Math.tanh(a);
            case SIGMOID -> 1 / (1 + Math.exp(-a));
            case ELU -> a > 0 ? a : Math.expm1(a);
            case IDENTITY -> a;
          };
        }
      }
    }
    return o;
  }
}
