package io.github.widenet.theory.teacher;

import java.util.Locale;

/**
 * "Units travel out along the teacher's directions", computed: the share of the student's output mass carried by
 * units on a teacher direction,
 * <pre>
 *     M = Σ_{i ∈ S} |c_i|·‖w_i‖ / Σ_i |c_i|·‖w_i‖,   S = { i : ∠(w_i, θ_j) ≤ angle and sign c_i = s_j for some j }
 * </pre>
 * (|c_i|·‖w_i‖ is unit i's weight in the 2-homogeneous output; w_i = 0 carries no mass).
 */
final class TeacherDirections {

    private TeacherDirections() {
    }

    /** M for units given as rows (w_i, b_i, c_i) ({@link Student#units}), angle in degrees. */
    static double massNear(double[][] units, Teacher teacher, double angleDegrees) {
        double cos = Math.cos(Math.toRadians(angleDegrees));
        int d = teacher.dimension();
        double near = 0;
        double total = 0;
        for (double[] u : units) {
            double norm = 0;
            for (int q = 0; q < d; q++) {
                norm += u[q] * u[q];
            }
            norm = Math.sqrt(norm);
            double c = u[d + 1];
            double mass = Math.abs(c) * norm;
            total += mass;
            if (norm == 0) {
                continue;
            }
            for (int j = 0; j < teacher.units(); j++) {
                double dot = 0;
                for (int q = 0; q < d; q++) {
                    dot += u[q] * teacher.directions()[j][q];
                }
                if (dot / norm >= cos && Math.signum(c) == teacher.signs()[j]) {
                    near += mass;
                    break;
                }
            }
        }
        return total == 0 ? 0 : near / total;
    }

    /** Which run concentrates its mass on the teacher's directions, from the numbers. */
    static String sentence(PathRun small, PathRun large) {
        double gainSmall = small.massNearTeacherEnd() - small.massNearTeacherStart();
        double gainLarge = large.massNearTeacherEnd() - large.massNearTeacherStart();
        return String.format(Locale.ROOT, "The mass on teacher directions %s by %.1f points at τ = %s and %s by %.1f "
                        + "points at τ = %s.", gainSmall >= 0 ? "grows" : "shrinks", 100 * Math.abs(gainSmall),
                PathsExperiment.plain(small.tau()), gainLarge >= 0 ? "grows" : "shrinks", 100 * Math.abs(gainLarge),
                PathsExperiment.plain(large.tau()));
    }
}
