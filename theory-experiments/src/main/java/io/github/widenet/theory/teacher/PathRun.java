package io.github.widenet.theory.teacher;

/** Summary of one d = 2 path run: teacher size, scale τ, final losses, relative unit movement, teacher recovery. */
public record PathRun(int teacherUnits, double tau, long steps, double step, double finalTrainLoss, double finalTestLoss,
                      double relativeMovement, double teacherDistance, double seconds) {
}
