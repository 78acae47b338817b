package org.nd4j.nativeblas;

/**
 * Compatibility bridge for a DL4J 1.0.0-M2.1 bug, shipped by widenet-dl4j (not part of ND4J).
 * <p>
 * DL4J's oneDNN layer helpers ask whether oneDNN is usable by reflection on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.isUseMKLDNN()}, but in M2.1 that class moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method became {@code isUseONEDNN()}. The
 * lookup therefore always fails and MultiLayerNetwork/ComputationGraph convolution and pooling layers never use oneDNN,
 * even on nd4j-native's oneDNN build. This class answers the old question with the new API, so the check succeeds
 * exactly when the loaded native library has oneDNN enabled. It has no effect on other builds.
 * See {@link io.github.widenet.nd4j.OneDnn}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The subset of the pre-M2.1 environment binding that DL4J's helper check uses. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private static final String BINDINGS = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** True when the loaded libnd4j was built with oneDNN and has it enabled. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> bindings = Class.forName(BINDINGS);
                Object env = bindings.getMethod("getInstance").invoke(null);
                return (Boolean) bindings.getMethod("isUseONEDNN").invoke(env);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
