package io.github.widenet.nd4j;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the default nd4j-native build (this module's tests) oneDNN is off and every report says why, instead of a bare
 * "disabled". The oneDNN build's side is tested in the CIFAR module.
 */
class OneDnnTest {

    @AfterEach
    void clear() {
        System.clearProperty(OneDnn.HELPERS_DISABLED_PROPERTY);
    }

    @Test
    void theReasonNamesTheHelperSwitchThenTheNativeBuild() {
        System.clearProperty(OneDnn.HELPERS_DISABLED_PROPERTY);
        String why = OneDnn.inactiveReason();
        assertTrue(why.contains(OneDnn.HELPERS_DISABLED_PROPERTY), why);

        System.setProperty(OneDnn.HELPERS_DISABLED_PROPERTY, "false");
        why = OneDnn.inactiveReason();
        assertTrue(why.contains("no oneDNN") && why.contains("linux-x86_64-onednn"), why);
        assertFalse(OneDnn.helpersActive());
        assertTrue(OneDnn.describe().startsWith("oneDNN helpers off: the loaded nd4j-native library has no oneDNN"),
                OneDnn.describe());
    }

    @Test
    void nothingIsRequestedWithoutTheOneDnnNatives() {
        assertFalse(OneDnn.nativesOnClasspath());
        assertFalse(OneDnn.configure());
        assertDoesNotThrow(OneDnn::verify);
    }
}
