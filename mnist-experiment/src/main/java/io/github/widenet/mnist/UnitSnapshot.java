package io.github.widenet.mnist;

import io.github.widenet.train.AtomicFile;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.layers.runtime.WidthScaledLayerRuntime;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-unit quantities of a block at one training step: output weights c_i (m × k), input-weight norms ‖w_i‖ and
 * biases b_i. These are the particles whose distributions the experiment histograms.
 */
public record UnitSnapshot(long step, int units, int classes, float[] c, float[] wNorm, float[] b) {

    /** Names of the recorded quantities: pooled c, c per class, ‖w‖, b. */
    public static List<String> quantities(int classes) {
        List<String> q = new ArrayList<>();
        q.add("c");
        for (int k = 0; k < classes; k++) {
            q.add("c" + k);
        }
        q.add("wnorm");
        q.add("b");
        return q;
    }

    /** Axis label of a quantity. */
    public static String axisLabel(String quantity) {
        switch (quantity) {
            case "c":
                return "output weight c_i (all classes)";
            case "wnorm":
                return "input weight norm |w_i|";
            case "b":
                return "bias b_i";
            default:
                return "output weight c_i for class " + quantity.substring(1);
        }
    }

    public static UnitSnapshot of(WidthScaledLayerRuntime block, long step) {
        INDArray w = block.getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);
        INDArray bias = block.getParam(WidthScaledLayer.BIAS_KEY);
        INDArray cMat = block.getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        int m = (int) block.units();
        int k = (int) cMat.size(1);
        return new UnitSnapshot(step, m, k, cMat.dup('c').data().asFloat(), w.norm2(0).data().asFloat(),
                bias.dup().data().asFloat());
    }

    /** The values of a quantity as doubles (m values, or m·k for pooled c). */
    public double[] values(String quantity) {
        switch (quantity) {
            case "c":
                return toDouble(c);
            case "wnorm":
                return toDouble(wNorm);
            case "b":
                return toDouble(b);
            default:
                int k = Integer.parseInt(quantity.substring(1));
                double[] out = new double[units];
                for (int i = 0; i < units; i++) {
                    out[i] = c[i * classes + k];
                }
                return out;
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Writes the snapshot atomically ({@link AtomicFile}: a failure names the file and leaves no partial file). */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(0x554E4954);         // "UNIT"
            out.writeLong(step);
            out.writeInt(units);
            out.writeInt(classes);
            for (float v : c) {
                out.writeFloat(v);
            }
            for (float v : wNorm) {
                out.writeFloat(v);
            }
            for (float v : b) {
                out.writeFloat(v);
            }
            out.flush();
        });
    }

    public static UnitSnapshot read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != 0x554E4954) {
                throw new IOException(file + ": not a unit snapshot file");
            }
            long step = in.readLong();
            int m = in.readInt();
            int k = in.readInt();
            float[] c = new float[m * k];
            float[] wn = new float[m];
            float[] b = new float[m];
            for (int i = 0; i < c.length; i++) {
                c[i] = in.readFloat();
            }
            for (int i = 0; i < m; i++) {
                wn[i] = in.readFloat();
            }
            for (int i = 0; i < m; i++) {
                b[i] = in.readFloat();
            }
            return new UnitSnapshot(step, m, k, c, wn, b);
        }
    }
}
