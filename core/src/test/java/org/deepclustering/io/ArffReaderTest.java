package org.deepclustering.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.deepclustering.data.Dataset;
import org.deepclustering.testing.SharedData;
import org.junit.jupiter.api.Test;

class ArffReaderTest {
  private static Dataset parse(String text) throws IOException {
    return ArffReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.arff");
  }

  @Test
  void readsIrisWithTabsUppercaseKeywordsAndTrailingComments() {
    Dataset iris = SharedData.load("iris.arff");
    assertEquals(150, iris.rows());
    assertEquals(4, iris.cols());
    assertEquals(3, iris.numClasses());
    assertEquals("sepallength", iris.featureNames().get(0));
    assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, iris.row(0));
    assertEquals("Iris-virginica", iris.classNames().get(iris.labels()[149]));
  }

  @Test
  void readsGzippedDigits() {
    Dataset digits = SharedData.load("digits.arff.gz");
    assertEquals(1797, digits.rows());
    assertEquals(64, digits.cols());
    assertEquals(10, digits.numClasses());
  }

  @Test
  void bundledDigitsEqualsSharedCopy() throws IOException {
    Dataset bundled;
    try (var in = ArffReader.class.getResourceAsStream("/datasets/digits.arff.gz")) {
      bundled = ArffReader.read(in, "bundled");
    }
    Dataset shared = SharedData.load("digits.arff.gz");
    assertArrayEquals(shared.toRowMajorArray(), bundled.toRowMajorArray());
    assertArrayEquals(shared.labels(), bundled.labels());
  }

  @Test
  void readsSparseRowsQuotedNamesAndMissingValues() throws IOException {
    Dataset d = parse("""
        % comment
        @relation 'r x'
        @attribute 'first attr' numeric
        @attribute b REAL
        @attribute class {yes,'no way'}
        @data
        {1 2.5, 2 'no way'}
        1,?,yes
        """);
    assertEquals(2, d.rows());
    assertEquals("first attr", d.featureNames().get(0));
    assertArrayEquals(new float[] {0f, 2.5f}, d.row(0));
    assertTrue(Float.isNaN(d.get(1, 1)));
    assertArrayEquals(new int[] {1, 0}, d.labels());
  }

  @Test
  void rejectsNominalFeatureWithAdvice() {
    IOException e = assertThrows(IOException.class, () -> parse("""
        @relation r
        @attribute colour {red,green}
        @attribute x numeric
        @data
        red,1
        """));
    assertTrue(e.getMessage().contains("colour") && e.getMessage().contains("Weka package"), e.getMessage());
  }

  @Test
  void reportsLineOfBadValue() {
    IOException e = assertThrows(IOException.class, () -> parse("@relation r\n@attribute x numeric\n@data\n1\nabc\n"));
    assertTrue(e.getMessage().contains(":5") && e.getMessage().contains("abc"), e.getMessage());
  }
}
