package io.github.widenet.nd4j;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * Turns on oneDNN for DL4J's own convolution/pooling layers on nd4j-native's oneDNN build (8× faster VGG training
 * measured on a 2-core machine). Two things stop it in DL4J 1.0.0-M2.1: layer helpers are disabled by default
 * (system property {@value #HELPERS_DISABLED_PROPERTY} defaults to "true"), and DL4J's oneDNN detection looks for a class
 * that moved (bridged by {@link org.nd4j.nativeblas.Nd4jCpu}). The oneDNN natives must be on the classpath
 * ({@code org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64-onednn} and {@code org.bytedeco:dnnl:2.5.2-1.5.7}) and be selected
 * with the JavaCPP platform extension {@value #EXTENSION}.
 * <p>
 * Call {@link #configure()} first thing in {@code main}, before anything touches ND4J: the native library is chosen
 * when ND4J loads, and helpers are attached when layers are created.
 */
public final class OneDnn {

    /** DL4J's switch for cuDNN/oneDNN layer helpers ("true" by default in M2.1). */
    public static final String HELPERS_DISABLED_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP's platform-extension property, which picks the oneDNN build of nd4j-native when both are present. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String EXTENSION = "-onednn";
    /** Set to "false" to keep the default native build and DL4J's im2col convolutions. */
    public static final String ENABLE_PROPERTY = "widenet.onednn";

    private static final String ONEDNN_NATIVES = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + EXTENSION + "/libjnind4jcpu.so";

    private OneDnn() {
    }

    /**
     * Selects the oneDNN natives and enables DL4J's layer helpers when the oneDNN build is on the classpath, unless the
     * user set {@value #ENABLE_PROPERTY}=false or already chose the properties. Returns whether it requested oneDNN.
     */
    public static boolean configure() {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLE_PROPERTY, "true")) || !nativesOnClasspath()) {
            return false;
        }
        if (System.getProperty(EXTENSION_PROPERTY) == null) {
            System.setProperty(EXTENSION_PROPERTY, EXTENSION);
        }
        if (System.getProperty(HELPERS_DISABLED_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLED_PROPERTY, "false");
        }
        return EXTENSION.equals(System.getProperty(EXTENSION_PROPERTY));
    }

    /** Whether nd4j-native's oneDNN build is on the classpath. */
    public static boolean nativesOnClasspath() {
        return OneDnn.class.getClassLoader().getResource(ONEDNN_NATIVES) != null;
    }

    /** Whether DL4J layers created from now on will use oneDNN helpers (loads ND4J if it is not loaded yet). */
    public static boolean helpersActive() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLED_PROPERTY, "true"))
                && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** One line for logs and manifests, e.g. "oneDNN helpers active (nd4j-native linux-x86_64-onednn)". */
    public static String describe() {
        if (helpersActive()) {
            return "oneDNN helpers active (nd4j-native linux-x86_64" + EXTENSION + ")";
        }
        return "oneDNN helpers off (" + (nativesOnClasspath() ? "disabled" : "default nd4j-native build") + ")";
    }
}
