package org.deepclustering.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The initial weight distributions: each layer's weights fill [-limit, limit] with the documented limit. */
class WeightInitTest {

    /** Largest |w| of a layer: with hundreds of uniform draws it lies within 2 % of the bound, and never above it. */
    private static double maxAbsWeight(Autoencoder.Layer l) {
        return l.w.dup().reshape(-1).amaxNumber().doubleValue();
    }

    private static void assertFillsBound(double expectedLimit, Autoencoder.Layer l, String what) {
        double max = maxAbsWeight(l);
        assertTrue(max <= expectedLimit * (1 + 1e-6), what + ": max |w| " + max + " above the bound " + expectedLimit);
        assertTrue(max >= 0.98 * expectedLimit, what + ": max |w| " + max + " far below the bound " + expectedLimit);
    }

    @Test
    void denseLayersUseGlorotByDefaultAndOneOverSqrtFanInOnRequest() {
        AutoencoderConfig glorot = AutoencoderConfig.builder().hiddenWidths(60, 80).embeddingDim(5).build();
        assertEquals(WeightInit.GLOROT_UNIFORM, glorot.getWeightInit());
        AutoencoderConfig fanIn = glorot.toBuilder().weightInit(WeightInit.FAN_IN_UNIFORM).build();
        int[] widths = {40, 60, 80, 5, 80, 60, 40}; // input, encoder, embedding, mirrored decoder, output
        Autoencoder g = Autoencoder.create(40, glorot, 3);
        Autoencoder f = Autoencoder.create(40, fanIn, 3);
        for (int i = 0; i < widths.length - 1; i++) {
            int in = widths[i], out = widths[i + 1];
            assertFillsBound(Math.sqrt(6.0 / (in + out)), g.layers().get(i), "Glorot layer " + in + "->" + out);
            assertFillsBound(Math.sqrt(1.0 / in), f.layers().get(i), "fan-in layer " + in + "->" + out);
            assertEquals(0.0, f.layers().get(i).b.amaxNumber().doubleValue(), "biases start at 0");
        }
    }

    @Test
    void convolutionsCountKernelAreaTimesChannelsAsKeras() {
        AutoencoderConfig c = AutoencoderConfig.builder().imageShape(16, 16, 1).embeddingDim(4)
                .weightInit(WeightInit.FAN_IN_UNIFORM).build();
        Autoencoder ae = Autoencoder.create(256, c, 5);
        // encoder convolutions 1 -> 32 (5x5), 32 -> 64 (5x5), 64 -> 128 (3x3): fan in = area * input channels
        assertFillsBound(Math.sqrt(1.0 / (25 * 1)), ae.layers().get(0), "first convolution");
        assertFillsBound(Math.sqrt(1.0 / (25 * 32)), ae.layers().get(1), "second convolution");
        assertFillsBound(Math.sqrt(1.0 / (9 * 64)), ae.layers().get(2), "third convolution");
        // the last layer is the transposed convolution back to the image: Keras' fan in is area * image channels
        assertFillsBound(Math.sqrt(1.0 / (25 * 1)), ae.layers().get(ae.layers().size() - 1), "output transposed convolution");
    }

    @Test
    void theChoiceIsSavedWithTheModelAndOldFilesReadAsGlorot() throws Exception {
        AutoencoderConfig fanIn = AutoencoderConfig.builder().hiddenWidths(8).embeddingDim(3)
                .weightInit(WeightInit.FAN_IN_UNIFORM).build();
        assertNotEquals(fanIn, fanIn.toBuilder().weightInit(WeightInit.GLOROT_UNIFORM).build());
        Autoencoder ae = Autoencoder.create(6, fanIn, 1);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ae.write(bos);
        assertEquals(fanIn, Autoencoder.read(new ByteArrayInputStream(bos.toByteArray())).config());

        ObjectMapper om = new ObjectMapper();
        ObjectNode json = om.valueToTree(fanIn);
        assertEquals(fanIn, om.treeToValue(json, AutoencoderConfig.class));
        json.remove("weightInit"); // a configuration saved before the option existed
        assertEquals(WeightInit.GLOROT_UNIFORM, om.treeToValue(json, AutoencoderConfig.class).getWeightInit());
    }
}
