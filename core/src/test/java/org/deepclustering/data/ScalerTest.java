package org.deepclustering.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ScalerTest {
  private final Dataset data = Dataset.of(new double[][] {{1, 10, -1}, {3, 20, 0}, {5, 60, 4}});

  @Test
  void minMaxMapsEachFeatureToUnitInterval() {
    Dataset s = Scaler.fit(data, Scaling.MIN_MAX).transform(data);
    assertArrayEquals(new float[] {0f, 0f, 0f}, s.row(0), 1e-6f);
    assertArrayEquals(new float[] {0.5f, 0.2f, 0.2f}, s.row(1), 1e-6f);
    assertArrayEquals(new float[] {1f, 1f, 1f}, s.row(2), 1e-6f);
  }

  @Test
  void zScoreGivesZeroMeanUnitVariance() {
    Dataset s = Scaler.fit(data, Scaling.Z_SCORE).transform(data);
    for (int j = 0; j < 3; j++) {
      double mean = 0;
      double sq = 0;
      for (int i = 0; i < 3; i++) mean += s.get(i, j) / 3.0;
      for (int i = 0; i < 3; i++) sq += Math.pow(s.get(i, j) - mean, 2) / 3.0;
      assertEquals(0, mean, 1e-6);
      assertEquals(1, sq, 1e-5);
    }
  }

  @Test
  void sampleL2MakesMeanSquareOne() {
    Dataset withZero = Dataset.of(new double[][] {{3, 4, 0, 0}, {0, 0, 0, 0}, {1, 1, 1, 1}});
    Dataset s = Scaler.fit(withZero, Scaling.SAMPLE_L2).transform(withZero);
    for (int i : new int[] {0, 2}) {
      double sq = 0;
      for (float v : s.row(i)) sq += v * v;
      assertEquals(1.0, sq / 4, 1e-6, "(1/d)||x||^2 of row " + i);
    }
    assertArrayEquals(new float[4], s.row(1), "an all-zero row stays zero");
  }

  @Test
  void unitMeanSquareScalesEveryValueByOneFactorToMeanSquareOne() {
    // values 1, 10, -1, 3, 20, 0, 5, 60, 4: sum of squares 4,152, mean square 461.3, factor 1/sqrt(461.3)
    Scaler scaler = Scaler.fit(data, Scaling.UNIT_MEAN_SQUARE);
    float c = (float) (1 / Math.sqrt(4152.0 / 9));
    for (float f : scaler.factor()) assertEquals(c, f, 1e-7f);
    Dataset s = scaler.transform(data);
    double sq = 0;
    for (int i = 0; i < 3; i++) for (float v : s.row(i)) sq += v * v;
    assertEquals(1.0, sq / 9, 1e-6, "mean of (1/d)||x||^2 over the rows");
    assertArrayEquals(new float[] {5 * c, 60 * c, 4 * c}, s.row(2), 1e-6f);
    assertEquals(0f, s.get(1, 2), "zeros stay zero");
    // fitted on the training data, applied unchanged to new rows
    Dataset other = Dataset.of(new double[][] {{2, 0, -2}});
    assertArrayEquals(new float[] {2 * c, 0, -2 * c}, scaler.transform(other).row(0), 1e-6f);
  }

  @Test
  void unitMeanSquareRefusesAllZeroData() {
    Dataset zeros = Dataset.of(new double[][] {{0, 0}}); // several identical rows are refused before, as for every scaling
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scaler.fit(zeros, Scaling.UNIT_MEAN_SQUARE));
    assertTrue(e.getMessage().contains("every value of the training data is 0"), e.getMessage());
  }

  @Test
  void constantFeatureIsRejectedByName() {
    Dataset c = Dataset.of(new double[][] {{1, 7}, {2, 7}, {3, 7}}).withFeatureNames(java.util.List.of("a", "flat"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scaler.fit(c, Scaling.Z_SCORE));
    assertTrue(e.getMessage().contains("flat"), e.getMessage());
    assertTrue(e.getMessage().contains("zero variance"), e.getMessage());
    Scaler.fit(c, Scaling.NONE); // fine without division by the spread
  }

  @Test
  void jsonRoundTripKeepsParameters() throws Exception {
    Scaler s = Scaler.fit(data, Scaling.Z_SCORE);
    ObjectMapper json = new ObjectMapper();
    Scaler back = json.readValue(json.writeValueAsString(s), Scaler.class);
    assertArrayEquals(s.offset(), back.offset());
    assertArrayEquals(s.factor(), back.factor());
    assertEquals(s.scaling(), back.scaling());
  }

  @Test
  void transformChecksWidth() {
    Scaler s = Scaler.fit(data, Scaling.NONE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.transform(Dataset.of(new double[][] {{1, 2}})));
    assertTrue(e.getMessage().contains("2 features") && e.getMessage().contains("trained on 3"), e.getMessage());
  }
}
