package org.deepclustering.cluster;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Well-separated isotropic Gaussian blobs for tests. */
final class Blobs {
    final float[][] x;
    final int[] labels;
    final double[][] centres;

    Blobs(int blobs, int perBlob, int dims, double spread, double sigma, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        centres = new double[blobs][dims];
        for (int b = 0; b < blobs; b++) {
            for (int j = 0; j < dims; j++) {
                centres[b][j] = (rnd.nextDouble() * 2 - 1) * spread;
            }
        }
        int n = blobs * perBlob;
        x = new float[n][dims];
        labels = new int[n];
        // interleave the blobs so that every chunk sees several of them
        for (int i = 0; i < n; i++) {
            int b = i % blobs;
            labels[i] = b;
            for (int j = 0; j < dims; j++) {
                x[i][j] = (float) (centres[b][j] + sigma * rnd.nextGaussian());
            }
        }
    }

    INDArray array() {
        return Nd4j.createFromArray(x);
    }

    /** Inertia of the true partition with its own empirical means (the k-means optimum for well-separated blobs). */
    double trueInertia() {
        int k = centres.length;
        int d = x[0].length;
        double[][] mean = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < x.length; i++) {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) {
                mean[labels[i]][j] += x[i][j];
            }
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                double diff = x[i][j] - mean[labels[i]][j] / count[labels[i]];
                s += diff * diff;
            }
        }
        return s;
    }
}
