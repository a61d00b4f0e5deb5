package org.deepclustering.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deepclustering.metrics.ClusteringMetrics;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KMeansTest {

    // 5 blobs in 6-D, 1035 rows: several 256-row chunks, a partial last chunk, all 4 lanes used
    private static final Blobs BLOBS = new Blobs(5, 207, 6, 10.0, 0.6, 42);

    @Test
    void recoversBlobs() {
        KMeansResult r = KMeans.builder().k(5).seed(1).build().fit(BLOBS.array());
        assertEquals(1.0, ClusteringMetrics.accuracy(BLOBS.labels, r.labels()), 0.0);
        // the true partition with its own means is the optimum here; float32 sums allow a tiny relative excess
        assertTrue(r.inertia() <= BLOBS.trueInertia() * (1 + 1e-5),
                r.inertia() + " > " + BLOBS.trueInertia());
        assertEquals(BLOBS.trueInertia(), r.inertia(), 1e-4 * BLOBS.trueInertia());
        assertArrayEquals(new long[] {5, 6}, r.centroids().shape());
        assertArrayEquals(r.labels(), r.predict(BLOBS.array()));
        assertTrue(r.iterations() >= 1);
    }

    @Test
    void sameSeedSameResultWhateverTheThreads() {
        KMeansResult a = KMeans.builder().k(5).seed(7).nInit(3).threads(1).build().fit(BLOBS.array());
        KMeansResult b = KMeans.builder().k(5).seed(7).nInit(3).threads(2).build().fit(BLOBS.array());
        KMeansResult c = KMeans.builder().k(5).seed(7).nInit(3).threads(2).build().fit(BLOBS.array());
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(b.labels(), c.labels());
        assertArrayEquals(a.centroids().ravel().toFloatVector(), b.centroids().ravel().toFloatVector());
        assertArrayEquals(b.centroids().ravel().toFloatVector(), c.centroids().ravel().toFloatVector());
        assertEquals(a.inertia(), b.inertia(), 0.0);
    }

    @Test
    void assignmentMatchesBruteForce() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 700;
        int d = 13;
        int k = 7;
        float[][] x = new float[n][d];
        float[][] c = new float[k][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
        }
        for (float[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
        }
        int[] labels = KMeans.predict(Nd4j.createFromArray(x), Nd4j.createFromArray(c));
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            double mine = 0;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    double diff = x[i][q] - c[j][q];
                    s += diff * diff;
                }
                best = Math.min(best, s);
                if (j == labels[i]) {
                    mine = s;
                }
            }
            assertEquals(best, mine, 1e-4, "row " + i);
        }
    }

    @Test
    void viewsAndDoublesAreAccepted() {
        INDArray doubles = BLOBS.array().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray fortran = BLOBS.array().dup('f');
        KMeans km = KMeans.builder().k(5).seed(1).nInit(2).build();
        assertArrayEquals(km.fit(BLOBS.array()).labels(), km.fit(doubles).labels());
        assertArrayEquals(km.fit(BLOBS.array()).labels(), km.fit(fortran).labels());
    }

    @Test
    void emptyClusterIsRelocated() {
        int k = 5;
        int d = 6;
        float[][] init = new float[k][d];
        for (int j = 0; j < k - 1; j++) {
            for (int q = 0; q < d; q++) {
                init[j][q] = (float) BLOBS.centres[j][q];
            }
        }
        for (int q = 0; q < d; q++) {
            init[k - 1][q] = 1e6f; // far from every point: empty after the first assignment
        }
        KMeansResult r = KMeans.builder().k(k).build().fit(BLOBS.array(), Nd4j.createFromArray(init));
        int[] counts = new int[k];
        for (int l : r.labels()) {
            counts[l]++;
        }
        for (int j = 0; j < k; j++) {
            assertTrue(counts[j] > 0, "cluster " + j + " is empty");
        }
        assertTrue(r.centroids().getRow(k - 1).maxNumber().doubleValue() < 1e3, "far centre was not moved");
        assertEquals(1.0, ClusteringMetrics.accuracy(BLOBS.labels, r.labels()), 0.0);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> KMeans.builder().k(0).build());
        assertThrows(IllegalArgumentException.class, () -> KMeans.builder().build());
        assertThrows(IllegalArgumentException.class, () -> KMeans.builder().k(2).nInit(0).build());
        INDArray three = Nd4j.createFromArray(new float[][] {{0f}, {1f}, {2f}});
        assertThrows(IllegalArgumentException.class, () -> KMeans.builder().k(4).build().fit(three));
        assertThrows(IllegalArgumentException.class,
                () -> KMeans.builder().k(2).build().fit(three, Nd4j.createFromArray(new float[][] {{0f}})));
        assertThrows(IllegalArgumentException.class,
                () -> KMeans.builder().k(1).build().fit(Nd4j.createFromArray(new float[] {1f, 2f})));
    }

    @Test
    void kEqualsNAndKEqualsOne() {
        INDArray three = Nd4j.createFromArray(new float[][] {{0f, 0f}, {1f, 0f}, {5f, 5f}});
        KMeansResult all = KMeans.builder().k(3).build().fit(three);
        assertEquals(0.0, all.inertia(), 1e-6);
        KMeansResult one = KMeans.builder().k(1).build().fit(three);
        assertArrayEquals(new float[] {2f, 5f / 3f}, one.centroids().ravel().toFloatVector(), 1e-6f);
    }

    @Test
    void miniBatchRecoversBlobs() {
        KMeansResult r = MiniBatchKMeans.builder().k(5).seed(3).batchSize(256).build().fit(BLOBS.array());
        assertEquals(1.0, ClusteringMetrics.accuracy(BLOBS.labels, r.labels()), 0.0);
        assertEquals(BLOBS.trueInertia(), r.inertia(), 0.02 * BLOBS.trueInertia());
        KMeansResult again = MiniBatchKMeans.builder().k(5).seed(3).batchSize(256).build().fit(BLOBS.array());
        assertArrayEquals(r.labels(), again.labels());
        assertArrayEquals(r.centroids().ravel().toFloatVector(), again.centroids().ravel().toFloatVector());
    }
}
