package io.github.widenet;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @Test
    void nd4jMultiplies() {
        INDArray a = Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}});
        assertEquals(7.0, a.mmul(a).getDouble(0, 1) - 3.0, 1e-12);
    }
}
