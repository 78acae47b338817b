package io.github.widenet.cifar.model;

import java.util.Locale;

/** The network a CIFAR run trains (--model): VGG-11 ({@link Vgg}) or ResNet-18 ({@link ResNet}). */
public enum Architecture {
    VGG11("vgg11", "VGG-11", false),
    RESNET18("resnet18", "ResNet-18", true);

    private final String option;
    private final String label;
    private final boolean batchNorm;

    Architecture(String option, String label, boolean batchNorm) {
        this.option = option;
        this.label = label;
        this.batchNorm = batchNorm;
    }

    /** The value of --model, e.g. "resnet18". */
    public String option() {
        return option;
    }

    /** e.g. "ResNet-18". */
    public String label() {
        return label;
    }

    /** Whether the network has BatchNormalization layers. */
    public boolean hasBatchNorm() {
        return batchNorm;
    }

    /** The architecture named by {@code value} (any case); an error naming {@code option} and the choices otherwise. */
    public static Architecture parse(String option, String value) {
        for (Architecture a : values()) {
            if (a.option.equals(value.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException(option + ": expected vgg11 or resnet18, got '" + value + "'");
    }
}
