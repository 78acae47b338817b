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
        return String.format(Locale.ROOT, "The mass on teacher directions %s at τ = %s and %s at τ = %s.",
                change(small), PathsExperiment.plain(small.tau()), change(large), PathsExperiment.plain(large.tau()));
    }

    /** "grows by 37.4 points", "shrinks by …", or "does not change (to 0.1 points)". */
    private static String change(PathRun r) {
        double gain = 100 * (r.massNearTeacherEnd() - r.massNearTeacherStart());
        if (Math.abs(gain) < 0.05) {
            return "does not change (to 0.1 points)";
        }
        return String.format(Locale.ROOT, "%s by %.1f points", gain > 0 ? "grows" : "shrinks", Math.abs(gain));
    }
}
