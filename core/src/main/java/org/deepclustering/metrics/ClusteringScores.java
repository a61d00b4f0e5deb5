package org.deepclustering.metrics;

/**
 * The four external clustering scores of one labelling against the ground truth.
 *
 * @param acc    unsupervised clustering accuracy (best one-to-one matching)
 * @param nmi    normalised mutual information (arithmetic-mean normalisation)
 * @param ari    adjusted Rand index
 * @param purity purity
 */
public record ClusteringScores(double acc, double nmi, double ari, double purity) {

    /** Computes all four scores of {@code pred} against {@code truth}. */
    public static ClusteringScores of(int[] truth, int[] pred) {
        ClusteringMetrics.Contingency c = ClusteringMetrics.contingency(truth, pred);
        return new ClusteringScores(ClusteringMetrics.accuracy(c), ClusteringMetrics.normalizedMutualInformation(c),
                ClusteringMetrics.adjustedRandIndex(c), ClusteringMetrics.purity(c));
    }
}
