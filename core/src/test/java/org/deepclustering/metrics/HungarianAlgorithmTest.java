package org.deepclustering.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HungarianAlgorithmTest {

    @Test
    void handExample() {
        // classic example: optimum 0->1 (1), 1->0 (2), 2->2 (2) = 5
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        int[] a = HungarianAlgorithm.minimize(cost);
        assertArrayEquals(new int[] {1, 0, 2}, a);
        assertEquals(5.0, total(cost, a), 0.0);
    }

    @Test
    void rectangularBothWays() {
        double[][] wide = {{1, 9, 9, 0.5}, {9, 1, 9, 9}};
        assertArrayEquals(new int[] {3, 1}, HungarianAlgorithm.minimize(wide));
        double[][] tall = {{1, 9}, {9, 1}, {0.5, 9}};
        assertArrayEquals(new int[] {-1, 1, 0}, HungarianAlgorithm.minimize(tall));
    }

    @Test
    void matchesBruteForceOnRandomMatrices() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int trial = 0; trial < 300; trial++) {
            int r = 1 + rnd.nextInt(6);
            int c = 1 + rnd.nextInt(6);
            double[][] cost = new double[r][c];
            for (double[] row : cost) {
                for (int j = 0; j < c; j++) {
                    row[j] = trial % 2 == 0 ? rnd.nextInt(10) : rnd.nextDouble() * 100 - 50;
                }
            }
            int[] a = HungarianAlgorithm.minimize(cost);
            assertEquals(r, a.length);
            Set<Integer> usedCols = new HashSet<>();
            int assigned = 0;
            for (int col : a) {
                if (col >= 0) {
                    assigned++;
                    assertEquals(true, usedCols.add(col), "column used twice");
                }
            }
            assertEquals(Math.min(r, c), assigned);
            assertEquals(bruteForce(cost), total(cost, a), 1e-9, "trial " + trial);
            // maximisation = minimisation of the negation
            double[][] neg = new double[r][c];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    neg[i][j] = -cost[i][j];
                }
            }
            assertEquals(-bruteForce(cost), total(neg, HungarianAlgorithm.maximize(neg)), 1e-9);
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> HungarianAlgorithm.minimize(new double[0][0]));
        assertThrows(IllegalArgumentException.class, () -> HungarianAlgorithm.minimize(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class,
                () -> HungarianAlgorithm.minimize(new double[][] {{Double.NaN}}));
    }

    private static double total(double[][] cost, int[] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 0) {
                s += cost[i][a[i]];
            }
        }
        return s;
    }

    /** Minimum over all injective maps from the smaller side to the larger side. */
    private static double bruteForce(double[][] cost) {
        int r = cost.length;
        int c = cost[0].length;
        if (r <= c) {
            return search(cost, 0, new boolean[c], false);
        }
        return search(cost, 0, new boolean[r], true);
    }

    private static double search(double[][] cost, int i, boolean[] used, boolean transposed) {
        int n = transposed ? cost[0].length : cost.length;
        if (i == n) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                double v = (transposed ? cost[j][i] : cost[i][j]) + search(cost, i + 1, used, transposed);
                used[j] = false;
                best = Math.min(best, v);
            }
        }
        return best;
    }
}
