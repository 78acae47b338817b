package io.github.widenet.theory.teacher;

import io.github.widenet.report.CsvTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trajectories of a d = 2 student's units in the plane: p_i(t) = |c_i(t)|·w_i(t) ∈ R², the point whose direction and
 * length give unit i's contribution |c_i|·‖w_i‖·max(ŵ_i·x, 0) (compare the teacher's s_j·max(θ_j·x, 0) with ‖θ_j‖ = 1),
 * with the sign of c_i. Recorded at chosen steps; saved as CSV (step, unit, x, y, c).
 */
public final class UnitPaths {

    private final List<Long> steps = new ArrayList<>();
    private final List<double[][]> points = new ArrayList<>();   // per snapshot: m × 3 (x, y, c)

    /** Records the units of a 2-input student at {@code step}. */
    public void record(long step, double[][] units) {
        if (units.length == 0 || units[0].length != 4) {
            throw new IllegalArgumentException("unit paths need a d = 2 student (rows w1, w2, b, c), got rows of "
                    + (units.length == 0 ? 0 : units[0].length));
        }
        double[][] p = new double[units.length][3];
        for (int i = 0; i < units.length; i++) {
            double c = units[i][3];
            p[i][0] = Math.abs(c) * units[i][0];
            p[i][1] = Math.abs(c) * units[i][1];
            p[i][2] = c;
        }
        steps.add(step);
        points.add(p);
    }

    public int snapshots() {
        return steps.size();
    }

    public int units() {
        return points.isEmpty() ? 0 : points.get(0).length;
    }

    /** x and y of unit i over the snapshots. */
    public double[][] path(int i) {
        double[] xs = new double[steps.size()];
        double[] ys = new double[steps.size()];
        for (int s = 0; s < steps.size(); s++) {
            xs[s] = points.get(s)[i][0];
            ys[s] = points.get(s)[i][1];
        }
        return new double[][]{xs, ys};
    }

    /** Sign of c_i at the last snapshot. */
    public double finalSign(int i) {
        return Math.signum(points.get(points.size() - 1)[i][2]);
    }

    /** mean_i ‖p_i(end) − p_i(0)‖ / mean_i ‖p_i(0)‖: how far the units travelled relative to where they started. */
    public double relativeMovement() {
        double moved = 0;
        double start = 0;
        double[][] first = points.get(0);
        double[][] last = points.get(points.size() - 1);
        for (int i = 0; i < first.length; i++) {
            moved += Math.hypot(last[i][0] - first[i][0], last[i][1] - first[i][1]);
            start += Math.hypot(first[i][0], first[i][1]);
        }
        return moved / start;
    }

    public void write(Path file) throws IOException {
        CsvTable t = new CsvTable("step", "unit", "x", "y", "c");
        for (int s = 0; s < steps.size(); s++) {
            for (int i = 0; i < points.get(s).length; i++) {
                double[] p = points.get(s)[i];
                t.add(steps.get(s), i, p[0], p[1], p[2]);
            }
        }
        t.write(file);
    }

    public static UnitPaths read(Path file) throws IOException {
        CsvTable t = CsvTable.read(file);
        UnitPaths u = new UnitPaths();
        int units = 0;
        for (int r = 0; r < t.size(); r++) {
            units = Math.max(units, Integer.parseInt(t.get(r, "unit")) + 1);
        }
        for (int r = 0; r < t.size(); r += units) {
            double[][] p = new double[units][3];
            for (int i = 0; i < units; i++) {
                p[i][0] = Double.parseDouble(t.get(r + i, "x"));
                p[i][1] = Double.parseDouble(t.get(r + i, "y"));
                p[i][2] = Double.parseDouble(t.get(r + i, "c"));
            }
            u.steps.add(Long.parseLong(t.get(r, "step")));
            u.points.add(p);
        }
        return u;
    }
}
