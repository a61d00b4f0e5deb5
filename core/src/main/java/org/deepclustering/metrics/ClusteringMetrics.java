package org.deepclustering.metrics;

import java.util.Arrays;

/**
 * External clustering metrics. Labels may be arbitrary non-negative integers (they need not be 0..k-1); the
 * formulas follow scikit-learn 1.2 (NMI with arithmetic-mean normalisation, ARI via the pair confusion matrix).
 */
public final class ClusteringMetrics {

    private ClusteringMetrics() {
    }

    /** Unsupervised accuracy: best one-to-one cluster-to-class matching (Hungarian algorithm), divided by n. */
    public static double accuracy(int[] truth, int[] pred) {
        return accuracy(contingency(truth, pred));
    }

    /** Normalised mutual information, arithmetic-mean normalisation (scikit-learn's default). */
    public static double normalizedMutualInformation(int[] truth, int[] pred) {
        return normalizedMutualInformation(contingency(truth, pred));
    }

    /** Adjusted Rand index (Hubert and Arabie). */
    public static double adjustedRandIndex(int[] truth, int[] pred) {
        return adjustedRandIndex(contingency(truth, pred));
    }

    /** Purity: sum over clusters of the count of the most frequent class, divided by n. */
    public static double purity(int[] truth, int[] pred) {
        return purity(contingency(truth, pred));
    }

    /** Contingency table: rows = distinct true classes (ascending), columns = distinct predicted clusters. */
    record Contingency(long[][] counts, long[] rowSums, long[] colSums, long n) {
    }

    static Contingency contingency(int[] truth, int[] pred) {
        if (truth == null || pred == null) {
            throw new IllegalArgumentException("label arrays must not be null");
        }
        if (truth.length != pred.length) {
            throw new IllegalArgumentException("label arrays must have equal lengths: truth has " + truth.length
                    + ", pred has " + pred.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("label arrays must not be empty");
        }
        int[] t = denseIndex(truth, "truth");
        int[] p = denseIndex(pred, "pred");
        int r = max(t) + 1;
        int c = max(p) + 1;
        long[][] counts = new long[r][c];
        long[] rowSums = new long[r];
        long[] colSums = new long[c];
        for (int i = 0; i < t.length; i++) {
            counts[t[i]][p[i]]++;
            rowSums[t[i]]++;
            colSums[p[i]]++;
        }
        return new Contingency(counts, rowSums, colSums, t.length);
    }

    private static int[] denseIndex(int[] labels, String name) {
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        if (sorted[0] < 0) {
            throw new IllegalArgumentException(name + " labels must be non-negative, found " + sorted[0]);
        }
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        int[] uniq = Arrays.copyOf(sorted, distinct);
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = Arrays.binarySearch(uniq, labels[i]);
        }
        return out;
    }

    private static int max(int[] a) {
        int m = Integer.MIN_VALUE;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    static double accuracy(Contingency c) {
        long[][] counts = c.counts();
        double[][] w = new double[counts.length][counts[0].length];
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                w[i][j] = counts[i][j];
            }
        }
        int[] match = HungarianAlgorithm.maximize(w);
        long correct = 0;
        for (int i = 0; i < match.length; i++) {
            if (match[i] >= 0) {
                correct += counts[i][match[i]];
            }
        }
        return (double) correct / c.n();
    }

    static double normalizedMutualInformation(Contingency c) {
        int classes = c.rowSums().length;
        int clusters = c.colSums().length;
        if (classes == 1 && clusters == 1) {
            return 1.0; // no split at all: scikit-learn's special case
        }
        double mi = mutualInformation(c);
        if (mi == 0.0) {
            return 0.0;
        }
        double normaliser = Math.max((entropy(c.rowSums(), c.n()) + entropy(c.colSums(), c.n())) / 2.0,
                Math.ulp(1.0));
        return mi / normaliser;
    }

    private static double mutualInformation(Contingency c) {
        long[][] counts = c.counts();
        if (c.rowSums().length == 1 || c.colSums().length == 1) {
            return 0.0;
        }
        double n = c.n();
        double logN = Math.log(n);
        double mi = 0.0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                long nij = counts[i][j];
                if (nij == 0) {
                    continue;
                }
                double pij = nij / n;
                double outer = (double) c.rowSums()[i] * (double) c.colSums()[j];
                double term = pij * (Math.log(nij) - logN) + pij * (-Math.log(outer) + logN + logN);
                if (Math.abs(term) >= Math.ulp(1.0)) {
                    mi += term;
                }
            }
        }
        return Math.max(mi, 0.0);
    }

    private static double entropy(long[] counts, long n) {
        if (counts.length == 1) {
            return 0.0;
        }
        double logN = Math.log(n);
        double h = 0.0;
        for (long k : counts) {
            if (k > 0) {
                h -= ((double) k / n) * (Math.log(k) - logN);
            }
        }
        return h;
    }

    static double adjustedRandIndex(Contingency c) {
        long n = c.n();
        long sumSquares = 0;
        for (long[] row : c.counts()) {
            for (long v : row) {
                sumSquares += v * v;
            }
        }
        long sumRowSq = 0;
        for (long v : c.rowSums()) {
            sumRowSq += v * v;
        }
        long sumColSq = 0;
        for (long v : c.colSums()) {
            sumColSq += v * v;
        }
        // pair confusion matrix, as scikit-learn's pair_confusion_matrix
        double tp = sumSquares - n;
        double fp = sumColSq - sumSquares;
        double fn = sumRowSq - sumSquares;
        double tn = (double) n * n - fp - fn - sumSquares;
        if (fn == 0 && fp == 0) {
            return 1.0;
        }
        return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    }

    static double purity(Contingency c) {
        long sum = 0;
        long[][] counts = c.counts();
        for (int j = 0; j < c.colSums().length; j++) {
            long best = 0;
            for (long[] row : counts) {
                best = Math.max(best, row[j]);
            }
            sum += best;
        }
        return (double) sum / c.n();
    }
}
