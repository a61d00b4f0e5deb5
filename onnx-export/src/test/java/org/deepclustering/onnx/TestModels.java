package org.deepclustering.onnx;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deepclustering.cluster.GaussianMixtureModel;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaler;
import org.deepclustering.data.Scaling;
import org.deepclustering.io.ArffReader;
import org.deepclustering.model.CentroidHead;
import org.deepclustering.model.ClusterHead;
import org.deepclustering.model.ClusteringModel;
import org.deepclustering.model.GaussianMixtureHead;
import org.deepclustering.model.StudentTHead;
import org.deepclustering.model.TrainingSummary;
import org.deepclustering.nn.Activation;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderConfig;

/** Small clustering models built directly through the public constructors (no training). */
final class TestModels {
  private TestModels() {}

  enum HeadKind { CENTROID, CENTROID_WITH_TRANSFORM, STUDENT_T, STUDENT_T_ALPHA_2_5, GAUSSIAN_MIXTURE, GAUSSIAN_MIXTURE_AT_FLOOR }

  static float[][] randomRows(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[n][d];
    for (float[] row : x) for (int j = 0; j < d; j++) row[j] = (float) (3 * r.nextGaussian() + 1.5);
    return x;
  }

  /**
   * A model of width d with the given encoder, scaling fitted on {@code train}, and a head whose centroids are
   * embeddings of training rows plus noise. Autoencoder parameters (biases, batch-norm gamma/beta/running statistics)
   * are perturbed through the documented serialisation format so nothing is at its trivial initial value.
   */
  static ClusteringModel model(float[][] train, int[] hidden, int embedding, int k, Activation act, boolean batchNorm,
      Scaling scaling, HeadKind kind, long seed) {
    AutoencoderConfig cfg = AutoencoderConfig.builder().hiddenWidths(hidden).embeddingDim(embedding).activation(act)
        .batchNorm(batchNorm).build();
    return model(train, cfg, k, scaling, kind, seed);
  }

  /** As above for any architecture (e.g. the convolutional autoencoder). */
  static ClusteringModel model(float[][] train, AutoencoderConfig cfg, int k, Scaling scaling, HeadKind kind, long seed) {
    int d = train[0].length;
    int embedding = cfg.getEmbeddingDim();
    Autoencoder ae = perturb(Autoencoder.create(d, cfg, seed), seed);
    Dataset data = Dataset.of(train);
    Scaler scaler = Scaler.fit(data, scaling);
    float[] z = ae.encode(scaler.transform(data).toINDArray()).dup('c').data().asFloat();
    SplittableRandom r = new SplittableRandom(seed + 1);
    float[][] c = new float[k][embedding];
    for (int j = 0; j < k; j++) {
      int row = (int) ((long) j * train.length / k);
      for (int a = 0; a < embedding; a++) c[j][a] = z[row * embedding + a] + (float) (0.1 * r.nextGaussian());
    }
    ClusterHead head = switch (kind) {
      case CENTROID -> new CentroidHead(c);
      case CENTROID_WITH_TRANSFORM -> new CentroidHead(c, orthonormal(embedding, r));
      case STUDENT_T -> new StudentTHead(c, 1.0);
      case STUDENT_T_ALPHA_2_5 -> new StudentTHead(c, 2.5);
      case GAUSSIAN_MIXTURE -> new GaussianMixtureHead(mixture(z, train.length, embedding, k));
      case GAUSSIAN_MIXTURE_AT_FLOOR -> new GaussianMixtureHead(mixtureAtFloor(z, train.length, embedding, k));
    };
    String algorithm = switch (kind) {
      case CENTROID -> "DCN";
      case CENTROID_WITH_TRANSFORM -> "DEKM";
      case GAUSSIAN_MIXTURE, GAUSSIAN_MIXTURE_AT_FLOOR -> "DC-GMM";
      default -> "IDEC";
    };
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) names.add("feature \"" + j + "\"");
    return new ClusteringModel(algorithm, Map.of("seed", seed), names, scaler, ae, head,
        new TrainingSummary(0, 0, 0, 0, Map.of(), "test", new int[0]));
  }

  /** A full-covariance mixture fitted by one M-step on the embeddings, rows assigned to components in blocks. */
  static GaussianMixtureModel mixture(float[] z, int n, int e, int k) {
    double[][] data = new double[n][e];
    double[][] resp = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < e; a++) data[i][a] = z[i * e + a];
      resp[i][(int) ((long) i * k / n)] = 1;
    }
    return GaussianMixtureModel.mStep(data, resp, 1e-3);
  }

  /**
   * The tightest mixture DC-GMM can produce: the block means of {@link #mixture}, every covariance at DC-GMM's default
   * floor, 0.01 × the mean coordinate variance of the embeddings, in every direction (the largest precisions, which
   * amplify float32 differences in the embedding the most).
   */
  static GaussianMixtureModel mixtureAtFloor(float[] z, int n, int e, int k) {
    double meanVariance = 0;
    for (int a = 0; a < e; a++) {
      double mean = 0;
      double square = 0;
      for (int i = 0; i < n; i++) {
        mean += z[i * e + a];
        square += (double) z[i * e + a] * z[i * e + a];
      }
      mean /= n;
      meanVariance += (square / n - mean * mean) / e;
    }
    GaussianMixtureModel blocks = mixture(z, n, e, k);
    double[][][] cov = new double[k][e][e];
    for (int c = 0; c < k; c++) for (int a = 0; a < e; a++) cov[c][a][a] = 0.01 * meanVariance;
    return GaussianMixtureModel.of(blocks.weights(), blocks.means(), cov);
  }

  /** Adds uniform noise in [-0.1, 0.1] to every stored parameter and state value (running variances stay > 0.8). */
  static Autoencoder perturb(Autoencoder ae, long seed) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ae.write(out);
      byte[] b = out.toByteArray();
      ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = buf.getInt(8);
      SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
      for (int pos = 12 + headerLength; pos + 4 <= b.length; pos += 4) {
        buf.putFloat(pos, buf.getFloat(pos) + (float) (0.2 * r.nextDouble() - 0.1));
      }
      return Autoencoder.read(new ByteArrayInputStream(b));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[][] orthonormal(int n, SplittableRandom r) {
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) v[i][j] = r.nextGaussian();
      for (int p = 0; p < i; p++) {
        double dot = 0;
        for (int j = 0; j < n; j++) dot += v[i][j] * v[p][j];
        for (int j = 0; j < n; j++) v[i][j] -= dot * v[p][j];
      }
      double norm = 0;
      for (int j = 0; j < n; j++) norm += v[i][j] * v[i][j];
      for (int j = 0; j < n; j++) v[i][j] /= Math.sqrt(norm);
    }
    float[][] f = new float[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) f[i][j] = (float) v[i][j];
    return f;
  }

  static Path sharedData() {
    String dir = System.getProperty("shared.data.dir");
    return dir == null ? Path.of("..", "..", "shared", "data") : Path.of(dir);
  }

  /** The first {@code rows} rows of mnist-10k (features only). */
  static float[][] mnist(int rows) throws IOException {
    Dataset ds = ArffReader.read(sharedData().resolve("mnist-10k.arff.gz")).head(rows);
    float[][] x = new float[ds.rows()][];
    for (int i = 0; i < ds.rows(); i++) x[i] = ds.row(i);
    return x;
  }
}
