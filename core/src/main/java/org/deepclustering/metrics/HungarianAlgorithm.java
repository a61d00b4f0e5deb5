package org.deepclustering.metrics;

import java.util.Arrays;

/**
 * Minimum-cost assignment (Kuhn-Munkres / Hungarian algorithm) with potentials, O(r²·c) for an r×c matrix with
 * r ≤ c (the matrix is transposed internally otherwise), i.e. O(n³) for square matrices. Rectangular matrices are
 * allowed: every row (or every column, whichever is fewer) is assigned exactly once.
 */
public final class HungarianAlgorithm {

    private HungarianAlgorithm() {
    }

    /**
     * Minimum-cost assignment.
     *
     * @param cost r×c cost matrix (finite values, all rows the same length)
     * @return for each row the assigned column, or -1 when the row is left unassigned (only possible when r > c)
     */
    public static int[] minimize(double[][] cost) {
        validate(cost);
        int rows = cost.length;
        int cols = cost[0].length;
        if (rows <= cols) {
            return solve(cost, rows, cols, false);
        }
        int[] colToRow = solve(cost, cols, rows, true);
        int[] rowToCol = new int[rows];
        Arrays.fill(rowToCol, -1);
        for (int c = 0; c < cols; c++) {
            rowToCol[colToRow[c]] = c;
        }
        return rowToCol;
    }

    /** Maximum-weight assignment: {@link #minimize} on the negated matrix. */
    public static int[] maximize(double[][] weight) {
        validate(weight);
        double[][] neg = new double[weight.length][];
        for (int i = 0; i < weight.length; i++) {
            neg[i] = new double[weight[i].length];
            for (int j = 0; j < neg[i].length; j++) {
                neg[i][j] = -weight[i][j];
            }
        }
        return minimize(neg);
    }

    private static void validate(double[][] cost) {
        if (cost == null || cost.length == 0 || cost[0] == null || cost[0].length == 0) {
            throw new IllegalArgumentException("cost matrix must be non-empty");
        }
        int cols = cost[0].length;
        for (double[] row : cost) {
            if (row == null || row.length != cols) {
                throw new IllegalArgumentException("cost matrix must be rectangular (all rows of length " + cols + ")");
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("cost matrix must contain finite values only");
                }
            }
        }
    }

    /**
     * Shortest augmenting path algorithm with potentials (n ≤ m). Returns for each of the n "rows" its column.
     * When transposed, a(i, j) = cost[j][i].
     */
    private static int[] solve(double[][] cost, int n, int m, boolean transposed) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];   // p[j]: row (1-based) matched to column j, 0 = none
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double a = transposed ? cost[j - 1][i0 - 1] : cost[i0 - 1][j - 1];
                        double cur = a - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] result = new int[n];
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                result[p[j] - 1] = j - 1;
            }
        }
        return result;
    }
}
