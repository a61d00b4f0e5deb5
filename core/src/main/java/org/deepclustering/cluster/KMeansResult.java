package org.deepclustering.cluster;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Result of a k-means fit. Immutable: accessors return copies. */
public final class KMeansResult {

    private final INDArray centroids;
    private final int[] labels;
    private final double inertia;
    private final int iterations;

    KMeansResult(INDArray centroids, int[] labels, double inertia, int iterations) {
        this.centroids = centroids;
        this.labels = labels;
        this.inertia = inertia;
        this.iterations = iterations;
    }

    /** Cluster centres, k×d float32 (a copy). */
    public INDArray centroids() {
        return centroids.dup();
    }

    /** Cluster index (0..k-1) of every training row (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** Sum of squared distances of the training rows to their closest centre. */
    public double inertia() {
        return inertia;
    }

    /** Lloyd (or mini-batch) iterations of the retained run. */
    public int iterations() {
        return iterations;
    }

    /** Number of clusters. */
    public int k() {
        return (int) centroids.rows();
    }

    /** Index of the closest centre for every row of {@code data} (n×d). */
    public int[] predict(INDArray data) {
        return KMeans.predict(data, centroids);
    }
}
