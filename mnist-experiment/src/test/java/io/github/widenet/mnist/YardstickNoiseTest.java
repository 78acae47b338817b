package io.github.widenet.mnist;

import io.github.widenet.stats.SamplingFloor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MNIST yardstick fed pure sampling noise: every snapshot (start and end, every width) is a fresh independent draw of
 * the units' initial law, so the widths differ by sampling alone and the report must not claim a difference; with the
 * end units of the smaller width shifted it must.
 */
class YardstickNoiseTest {

    private static final int CLASSES = 10;
    private static final RunConfig CONFIG = new RunConfig(List.of(400, 4000), List.of(Scaling.MEAN_FIELD),
            Activation.RELU, 10, 10, 0.5, 2, 1, 20, 0, 0, Duration.ofMinutes(5));

    private static UnitSnapshot draw(long step, int m, double cShift, SplittableRandom r) {
        double[] c = SamplingFloor.Law.gaussian(1.0).sample(m * CLASSES, r);
        double[] w = SamplingFloor.Law.gaussianNorm(784, 1 / Math.sqrt(784)).sample(m, r);
        float[] cf = new float[c.length];
        float[] wf = new float[m];
        for (int i = 0; i < c.length; i++) {
            cf[i] = (float) (c[i] + cShift);
        }
        for (int i = 0; i < m; i++) {
            wf[i] = (float) w[i];
        }
        return new UnitSnapshot(step, m, CLASSES, cf, wf, new float[m]);
    }

    private static List<String> findings(double endShift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<Integer, LongFunction<UnitSnapshot>> loaders = new LinkedHashMap<>();
        Map<String, UnitSnapshot> made = new HashMap<>();
        for (int m : CONFIG.widths()) {
            double shift = m == CONFIG.largestWidth() ? 0 : endShift;
            loaders.put(m, step -> made.computeIfAbsent(m + "@" + step, k -> draw(step, m, step == 0 ? 0 : shift, r)));
        }
        DistributionAnalysis a = new DistributionAnalysis(Scaling.MEAN_FIELD, CONFIG, loaders).compute()
                .computeFloors(784, SamplingFloor.MIN_DRAWS, seed + 1, new HashMap<>());
        return MnistReport.floorFindings(CONFIG, Map.of(Scaling.MEAN_FIELD, a));
    }

    @Test
    void pureSamplingNoiseIsNotCalledADifference() {
        int classExceedances = 0;
        for (long seed = 1; seed <= 3; seed++) {
            List<String> f = findings(0, seed * 100);
            for (String s : f) {
                assertFalse(s.contains(SamplingFloor.Verdict.EXCEEDS.words()), s);
                Matcher m = Pattern.compile("exceeds the floor in (\\d+)").matcher(s);
                if (m.find()) {
                    classExceedances += Integer.parseInt(m.group(1));
                }
            }
        }
        // 30 per-class tests at the 2.5 % level: a few may fire by chance, not many
        assertTrue(classExceedances <= 3, classExceedances + " of 30 per-class tests fired on noise");
    }

    @Test
    void aShiftOfTheOutputWeightsIsFound() {
        List<String> f = findings(0.2, 7);
        assertTrue(f.stream().anyMatch(s -> s.startsWith("mean-field, " + UnitSnapshot.axisLabel("c")) && s.contains(
                SamplingFloor.Verdict.EXCEEDS.words())), String.join("\n", f));
        Matcher m = Pattern.compile("exceeds the floor in (\\d+)").matcher(String.join("\n", f));
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 6, "most classes: " + String.join("\n", f));
    }
}
