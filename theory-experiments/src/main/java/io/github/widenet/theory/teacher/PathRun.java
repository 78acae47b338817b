package io.github.widenet.theory.teacher;

/**
 * Summary of one d = 2 path run: teacher size, scale τ, step, final losses, relative unit movement, time, and the share
 * of the units' mass on a teacher direction at the start and the end ({@link TeacherDirections#massNear}).
 */
public record PathRun(int teacherUnits, double tau, long steps, double step, double finalTrainLoss, double finalTestLoss,
                      double relativeMovement, double seconds, double massNearTeacherStart, double massNearTeacherEnd) {
}
