package io.github.widenet.cifar;

import io.github.widenet.cifar.model.Vgg;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paper presets resolve to the official recipe; explicit options override them. */
class PresetTest {

    private static CifarExperiment parsed(String... args) {
        CifarExperiment e = new CifarExperiment();
        new CommandLine(e).parseArgs(args);
        e.applyPreset();
        e.validate();
        return e;
    }

    @Test
    void paperIsTheOfficialRecipeOnAllImages() {
        CifarRunConfig c = parsed("--preset", "paper").config();
        assertEquals(0, c.trainSubset());
        assertEquals(0, c.testSubset());
        assertEquals(10_000, c.trainEvalSubset());
        assertEquals(4, c.widthDivisor());
        assertEquals(128, c.batchSize());
        assertTrue(c.augment());
        assertEquals(Vgg.Loss.MSE, c.loss());
        assertEquals(Vgg.Init.XAVIER, c.init());
        assertEquals(Momentum.HEAVY_BALL, c.momentumKind());
        assertEquals(0.9, c.momentum());
        assertEquals(List.of(Mode.plain(), Mode.lazy(1), Mode.lazy(100), Mode.linearized()), c.modes());
        assertEquals(List.of(1L, 2L, 3L), parsed("--preset", "paper").seedList());
        assertEquals("mse", parsed("--preset", "paper").resultOptions().get("--loss"));
    }

    @Test
    void explicitOptionsOverrideIt() {
        CifarExperiment e = parsed("--preset", "paper", "--epochs", "3", "--seed", "2", "--loss", "ce");
        assertEquals(3, e.config().epochs());
        assertEquals(List.of(2L), e.seedList());
        assertEquals(Vgg.Loss.CE, e.config().loss());
        assertEquals(Vgg.Init.XAVIER, e.config().init());
    }

    @Test
    void theSweepIsSeedOneOverFiveScales() {
        CifarExperiment e = parsed("--preset", "paper-sweep");
        assertEquals(List.of(1L), e.seedList());
        assertEquals(List.of(Mode.lazy(1), Mode.lazy(10), Mode.lazy(100), Mode.lazy(1000), Mode.lazy(10000),
                Mode.linearized()), e.config().modes());
        assertEquals(Vgg.Loss.MSE, e.config().loss());
    }

    @Test
    void interpolationComparesStandardWithTheNtkLimitOnUnaugmentedImages() {
        CifarExperiment e = parsed("--preset", "interpolation");
        assertEquals(List.of(Mode.lazy(1), Mode.lazy(100), Mode.linearized(), Mode.ntkLimit()), e.config().modes());
        assertEquals(List.of(1L, 2L, 3L), e.seedList());
        assertTrue(!e.config().augment());
        assertEquals(5000, e.config().trainSubset());
        assertEquals(0.0333, e.config().lrDecay());
    }
}
