package org.nd4j.nativeblas;

/**
 * Compatibility bridge for a DL4J 1.0.0-M2.1 bug, shipped by widenet-dl4j (not part of ND4J).
 * <p>
 * DL4J's oneDNN layer helpers ask whether oneDNN is usable by reflection on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.isUseMKLDNN()}, but in M2.1 that class moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method became {@code isUseONEDNN()}. The
 * lookup therefore always fails and MultiLayerNetwork/ComputationGraph convolution and pooling layers never use oneDNN,
 * even on nd4j-native's oneDNN build. This class answers the old question with the new API, so the check succeeds
 * exactly when the loaded native library was built with oneDNN and has it enabled (the old answer of the default build's
 * binding, true although that library has no oneDNN, would attach helpers whose ops do not exist).
 * <p>Why a class in ND4J's package: DL4J asks for this exact class name through its class loader, and the only other
 * routes — generating the class at run time under that name, or replacing the private helper fields of every DL4J
 * convolution and pooling layer by reflection — are more fragile and still act inside DL4J's internals. If a later ND4J
 * ships the class again, this bridge is no longer needed (and must be removed: two classes of one name on a class path).
 * See {@link io.github.widenet.nd4j.OneDnn}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The subset of the pre-M2.1 environment binding that DL4J's helper check uses. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private static final String BINDINGS = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static volatile Throwable failure;

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * True when the loaded libnd4j was built with oneDNN and has it enabled. A failed lookup answers false (DL4J
         * expects a boolean) and is kept for {@link #failure()}, so {@code OneDnn} can report why oneDNN is off.
         */
        public boolean isUseMKLDNN() {
            try {
                Class<?> bindings = Class.forName(BINDINGS);
                Object env = bindings.getMethod("getInstance").invoke(null);
                // the default build also answers isUseONEDNN() = true: only a library built with oneDNN can use it
                boolean on = (Boolean) bindings.getMethod("isUseONEDNN").invoke(env)
                        && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
                failure = null;
                return on;
            } catch (ReflectiveOperationException | LinkageError | ClassCastException | NullPointerException e) {
                failure = e;
                return false;
            }
        }

        /** Why the last {@link #isUseMKLDNN()} could not ask the native library, or null if it could. */
        public static Throwable failure() {
            return failure;
        }
    }
}
