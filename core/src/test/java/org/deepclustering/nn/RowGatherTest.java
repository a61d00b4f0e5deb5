package org.deepclustering.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Regression: the shuffled-batch gather of {@link AutoencoderTrainer#forwardRows} once read rows at byte instead of
 * float offsets (JavaCPP's memcpy treats a Pointer argument's position as bytes): wrong data at every width, NaN at
 * odd widths. The gathered batch must give exactly what {@link AutoencoderTrainer#forward} gives on the same rows.
 */
class RowGatherTest {
  @ParameterizedTest
  @ValueSource(ints = {7, 61, 64})
  void forwardRowsEqualsForwardOnTheSameRows(int width) {
    INDArray data = Nd4j.create(DataType.FLOAT, 50, width);
    for (int i = 0; i < 50; i++) for (int j = 0; j < width; j++) data.putScalar(i, j, (float) Math.sin(i * 31 + j * 7));
    int[] order = {49, 3, 17, 0, 22, 8, 41, 13};
    Autoencoder ae = Autoencoder.create(width, AutoencoderConfig.builder().hiddenWidths(16, 8).embeddingDim(3).build(), 5);
    AutoencoderTrainer gathered = new AutoencoderTrainer(ae.copy(), OptimizerConfig.adam(), 8, 1);
    AutoencoderTrainer direct = new AutoencoderTrainer(ae.copy(), OptimizerConfig.adam(), 8, 1);
    float[] a = gathered.forwardRows(data, order, 0, 8, false, true).reconstruction().dup().ravel().toFloatVector();
    float[] b = direct.forward(data.getRows(order), false).reconstruction().dup().ravel().toFloatVector();
    assertEquals(8 * width, a.length);
    assertArrayEquals(b, a);
  }
}
