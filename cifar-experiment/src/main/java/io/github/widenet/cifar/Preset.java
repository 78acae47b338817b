package io.github.widenet.cifar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named option sets of the CIFAR experiment (--preset NAME). Options given explicitly on the command line override the
 * preset's; the options a preset sets are printed and written to the manifest.
 *
 * @param name    the name after --preset
 * @param purpose one line for --help
 * @param options option → value, as they would be written on the command line
 */
public record Preset(String name, String purpose, Map<String, String> options) {

    /**
     * "medium": every mode (plain, standard, lazy α = 100, linearized) should reach high training accuracy in at most
     * about 90 minutes per seed on 2 cores — VGG-11/4 on 5,000 class-balanced training images without augmentation,
     * 40 epochs of batch 128 with a slowly decaying step.
     */
    public static final Preset MEDIUM = new Preset("medium", "VGG-11/4, 5000 balanced training and 5000 test images, "
            + "no augmentation, 40 epochs of batch 128, lr 0.005/(1+0.05*epoch); modes plain,1,100,linearized "
            + "(aimed at high training accuracy for every mode within 90 min per seed on 2 cores)", medium());

    /** The options of "medium" as on the command line (also shown by --help); no --augment. */
    public static final String MEDIUM_ARGS = "--width-divisor 4 --train-subset 5000 --test-subset 5000 "
            + "--train-eval-subset 2000 --epochs 40 --batch-size 128 --lr 0.005 --lr-decay 0.05 "
            + "--momentum 0.9 --modes plain,1,100,linearized";

    /**
     * The official recipe on all 50,000 / 10,000 images: the squared loss on one-hot targets, Xavier-normal init,
     * heavy-ball momentum 0.9, batch 128, crops and flips, η_t = η0/(1 + epoch/3) as the reference's train.py; modes
     * plain, standard, lazy α = 100, linearized; seeds 1–3. η0 = 1.0: the best of the reference's grid (1, 0.1, 0.01)
     * for both standard and lazy α = 100 after 3 epochs (results/cifar/tuning-paper/). The epochs are provisional.
     */
    public static final String PAPER_ARGS = Preset.RECIPE_ARGS + " --modes plain,1,100,linearized --seeds 1,2,3";

    /** The α sweep of "paper" for seed 1: α = 1, 10, 100, 1000, 10⁴ and the linearized model. */
    public static final String PAPER_SWEEP_ARGS = Preset.RECIPE_ARGS + " --modes 1,10,100,1000,10000,linearized "
            + "--seeds 1";

    private static final String RECIPE_ARGS = "--width-divisor 4 --train-subset 0 --test-subset 0 "
            + "--train-eval-subset 10000 --epochs 60 --batch-size 128 --lr 1.0 --lr-decay 0.3333 --momentum 0.9 "
            + "--momentum-type heavy-ball --loss mse --init xavier --augment true";

    public static final Preset PAPER = new Preset("paper", "the official recipe (squared loss, Xavier init, heavy-ball "
            + "0.9) on all 50000/10000 images, VGG-11/4, crop+flip, batch 128; modes plain,1,100,linearized; seeds "
            + "1,2,3 (lr 1.0 tuned, decay the reference's; epochs provisional)", pairs(PAPER_ARGS));

    public static final Preset PAPER_SWEEP = new Preset("paper-sweep", "as paper, seed 1, modes "
            + "1,10,100,1000,10000,linearized: the alpha-sweep figure", pairs(PAPER_SWEEP_ARGS));

    /**
     * Lazy vs standard at interpolation (issue 27, item 3): the standard model trained on 5,000 class-balanced
     * unaugmented images against the NTK-regression limit of the same w0 (mode ntk-limit), with lazy α = 100 and the
     * linearized model trained the same epochs with the squared loss (their distance to the limit in the report), every
     * test image, seeds 1–3; the official recipe with η0 = 1.0 and the reference's decay per step (β = 1/3 per 391 steps = 0.0333 per
     * epoch of 39 steps).
     */
    public static final String INTERPOLATION_ARGS = "--width-divisor 4 --train-subset 5000 --test-subset 0 "
            + "--train-eval-subset 5000 --epochs 60 --batch-size 128 --lr 1.0 --lr-decay 0.0333 --momentum 0.9 "
            + "--momentum-type heavy-ball --loss mse --init xavier --modes standard,100,linearized,ntk-limit --seeds 1,2,3";

    public static final Preset INTERPOLATION = new Preset("interpolation", "standard trained to fit 5000 unaugmented "
            + "images vs the NTK-regression limit of the same w0, lazy alpha=100 and linearized beside it, all test "
            + "images, seeds 1,2,3 (official recipe)",
            pairs(INTERPOLATION_ARGS));

    private static Map<String, String> medium() {
        return pairs(MEDIUM_ARGS);
    }

    private static Map<String, String> pairs(String args) {
        String[] t = args.split(" ");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i += 2) {
            m.put(t[i], t[i + 1]);
        }
        return m;
    }

    public Preset {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The preset called {@code name}; an error naming --preset and the known names otherwise. */
    public static Preset named(String name) {
        for (Preset p : List.of(MEDIUM, PAPER, PAPER_SWEEP, INTERPOLATION)) {
            if (p.name.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("--preset: unknown preset '" + name + "' (known: medium, paper, "
                + "paper-sweep, interpolation)");
    }
}
