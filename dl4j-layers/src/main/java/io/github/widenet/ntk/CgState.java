package io.github.widenet.ntk;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Everything the conjugate-gradient solver of {@link NtkRegression} carries from one iteration to the next, in double, and
 * its checkpoint file. Over the n·K examples×logits: the targets Y, the right-hand side r, the coefficients a, the residual
 * z = r − (Θ + λI)a and the search direction p; over the P parameters: θ = Jᵀa, Jᵀz and t = Jᵀp. A resumed solver
 * continues from exactly these values, so its later iterations equal an uninterrupted run's.
 */
final class CgState {

    private static final long MAGIC = 0x57_4E_54_4B_43_47_30_32L;    // "WNTKCG02"
    static final int HISTORY_COLUMNS = 5;

    /** What a checkpoint must match to be resumed: the problem, not the progress. */
    record Problem(long examples, int outputs, long params, double ridge, boolean centred, int preconditionerRank,
                   long fingerprint) {

        String mismatch(Problem other) {
            List<String> d = new ArrayList<>();
            if (examples != other.examples) {
                d.add("n = " + other.examples + " examples there, " + examples + " here");
            }
            if (outputs != other.outputs) {
                d.add("K = " + other.outputs + " logits there, " + outputs + " here");
            }
            if (params != other.params) {
                d.add("P = " + other.params + " parameters there, " + params + " here");
            }
            if (Double.compare(ridge, other.ridge) != 0) {
                d.add("ridge λ = " + other.ridge + " there, " + ridge + " here");
            }
            if (centred != other.centred) {
                d.add("centred = " + other.centred + " there, " + centred + " here");
            }
            if (preconditionerRank != other.preconditionerRank) {
                d.add("preconditioner rank " + other.preconditionerRank + " there, " + preconditionerRank + " here");
            }
            if (d.isEmpty() && fingerprint != other.fingerprint) {
                d.add("the parameters w0 or the targets differ (fingerprint)");
            }
            return String.join("; ", d);
        }
    }

    final Problem problem;
    final INDArray y;
    final INDArray r;
    final INDArray a;
    final INDArray z;
    final INDArray p;
    final INDArray theta;
    final INDArray jtz;
    final INDArray t;
    int iteration;
    /** zᵀP⁻¹z of the current residual z (‖z‖² without a preconditioner). */
    double gamma;
    double rNorm;
    /** Rows {iteration, residual ‖z‖/‖r‖, training accuracy, seconds, recomputed (1) or not (0)}; row 0 = the start. */
    final List<double[]> history = new ArrayList<>();

    CgState(Problem problem) {
        this.problem = problem;
        long nk = problem.examples() * problem.outputs();
        this.y = Nd4j.zeros(DataType.DOUBLE, nk);
        this.r = Nd4j.zeros(DataType.DOUBLE, nk);
        this.a = Nd4j.zeros(DataType.DOUBLE, nk);
        this.z = Nd4j.zeros(DataType.DOUBLE, nk);
        this.p = Nd4j.zeros(DataType.DOUBLE, nk);
        this.theta = Nd4j.zeros(DataType.DOUBLE, problem.params());
        this.jtz = Nd4j.zeros(DataType.DOUBLE, problem.params());
        this.t = Nd4j.zeros(DataType.DOUBLE, problem.params());
    }

    /** A fingerprint of w0 and the targets (CRC-32 of their values' bits). */
    static long fingerprint(INDArray w0, INDArray targets) {
        CRC32 crc = new CRC32();
        for (INDArray v : new INDArray[]{w0, targets}) {
            double[] d = v.castTo(DataType.DOUBLE).reshape(v.length()).toDoubleVector();
            byte[] buf = new byte[8 * d.length];
            for (int i = 0; i < d.length; i++) {
                long bits = Double.doubleToLongBits(d[i]);
                for (int k = 0; k < 8; k++) {
                    buf[8 * i + k] = (byte) (bits >>> (8 * k));
                }
            }
            crc.update(buf);
        }
        return crc.getValue();
    }

    private INDArray[] arrays() {
        return new INDArray[]{y, r, a, z, p, theta, jtz, t};
    }

    /** Writes the state atomically (a temporary file beside {@code file}, then a rename). */
    void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".ntk-cg", ".tmp");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                        1 << 16))) {
                    out.writeLong(MAGIC);
                    out.writeLong(problem.examples());
                    out.writeInt(problem.outputs());
                    out.writeLong(problem.params());
                    out.writeDouble(problem.ridge());
                    out.writeBoolean(problem.centred());
                    out.writeInt(problem.preconditionerRank());
                    out.writeLong(problem.fingerprint());
                    out.writeInt(iteration);
                    out.writeDouble(gamma);
                    out.writeDouble(rNorm);
                    out.writeInt(history.size());
                    for (double[] h : history) {
                        for (double v : h) {
                            out.writeDouble(v);
                        }
                    }
                    for (INDArray v : arrays()) {
                        for (double d : v.toDoubleVector()) {
                            out.writeDouble(d);
                        }
                    }
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the NTK regression checkpoint " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** Reads a checkpoint, refusing one made for another problem (naming what differs). */
    static CgState read(Path file, Problem expected) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readLong() != MAGIC) {
                throw new IllegalArgumentException(file + " is not an NTK regression checkpoint");
            }
            Problem saved = new Problem(in.readLong(), in.readInt(), in.readLong(), in.readDouble(), in.readBoolean(),
                    in.readInt(), in.readLong());
            String mismatch = expected.mismatch(saved);
            if (!mismatch.isEmpty()) {
                throw new IllegalArgumentException("the checkpoint " + file + " belongs to another problem (" + mismatch
                        + "); delete it or choose another checkpoint file");
            }
            CgState s = new CgState(saved);
            s.iteration = in.readInt();
            s.gamma = in.readDouble();
            s.rNorm = in.readDouble();
            int h = in.readInt();
            for (int i = 0; i < h; i++) {
                double[] row = new double[HISTORY_COLUMNS];
                for (int c = 0; c < row.length; c++) {
                    row[c] = in.readDouble();
                }
                s.history.add(row);
            }
            for (INDArray v : s.arrays()) {
                double[] d = new double[(int) v.length()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = in.readDouble();
                }
                v.assign(Nd4j.createFromArray(d));
            }
            return s;
        } catch (EOFException e) {
            throw new IllegalArgumentException("the checkpoint " + file + " is truncated; delete it to start again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the NTK regression checkpoint " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
