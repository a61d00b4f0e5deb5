package org.deepclustering.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DataValidationTest {
  @Test
  void emptyDataIsRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> DataValidation.requireUsableTrainingData(Dataset.of(new double[0][])));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void nanAndInfinityNameRowAndFeature() {
    Dataset nan = Dataset.of(new double[][] {{1, 2}, {3, Double.NaN}}).withFeatureNames(java.util.List.of("a", "b"));
    var e = assertThrows(IllegalArgumentException.class, () -> DataValidation.requireUsableTrainingData(nan));
    assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("'b'"), e.getMessage());
    Dataset inf = Dataset.of(new double[][] {{Double.POSITIVE_INFINITY, 2}, {3, 4}});
    e = assertThrows(IllegalArgumentException.class, () -> DataValidation.requireUsableTrainingData(inf));
    assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("Infinity"), e.getMessage());
  }

  @Test
  void identicalRowsAreRejected() {
    Dataset same = Dataset.of(new double[][] {{1, 2}, {1, 2}, {1, 2}});
    var e = assertThrows(IllegalArgumentException.class, () -> DataValidation.requireUsableTrainingData(same));
    assertTrue(e.getMessage().contains("identical"), e.getMessage());
  }

  @Test
  void clusterCountMustFitTheData() {
    var e = assertThrows(IllegalArgumentException.class, () -> DataValidation.requireClusterCount(0, 10));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataValidation.requireClusterCount(5, 3));
    assertTrue(e.getMessage().contains("5 clusters") && e.getMessage().contains("3 rows"), e.getMessage());
    DataValidation.requireClusterCount(3, 3);
  }

  @Test
  void raggedRowsAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new double[][] {{1, 2}, {3}}));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
  }

  @Test
  void constantColumnsAreFoundAndDropped() {
    Dataset d = Dataset.of(new double[][] {{0, 1, 5}, {0, 2, 5}, {0, 3, 5}}).withLabels(new int[] {0, 1, 1}, null);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 2}, d.constantColumns());
    Dataset kept = d.withoutColumns(d.constantColumns());
    org.junit.jupiter.api.Assertions.assertEquals(1, kept.cols());
    org.junit.jupiter.api.Assertions.assertEquals("x1", kept.featureNames().get(0));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 1}, kept.labels());
  }
}
