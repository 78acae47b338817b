package io.github.widenet.cifar.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's CIFAR-10 came from, in what format, and the data. {@code jpegReencoded} is true for image folders of
 * JPEGs, which are not the exact official pixels: results on them must say "CIFAR-10 (JPEG re-encoded copy)".
 */
public record CifarSource(Kind kind, String location, Format format, boolean jpegReencoded, CifarSet train,
                          CifarSet test) {

    /** How the source was found. */
    public enum Kind { EXPLICIT_DIR, ENV, DL4J_CACHE, DOWNLOADED }

    /** The on-disk format. */
    public enum Format { BINARY_FILES, BINARY_ARCHIVE, IMAGE_FOLDERS }

    /** "CIFAR-10" or "CIFAR-10 (JPEG re-encoded copy)". */
    public String datasetName() {
        return jpegReencoded ? "CIFAR-10 (JPEG re-encoded copy)" : "CIFAR-10";
    }

    /** One line for logs and reports. */
    public String description() {
        return datasetName() + " from " + location + " (" + format.name().toLowerCase().replace('_', ' ') + ", "
                + train.size() + " train / " + test.size() + " test images)";
    }

    /** What identifies the data (not where it lies): sizes and CRC32 checksums, for checks on --resume. */
    public Map<String, Object> identity() {
        return new io.github.widenet.train.DataIdentity(train.size(), train.checksum(), test.size(), test.checksum())
                .asMap();
    }

    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", datasetName());
        m.put("kind", kind.name());
        m.put("location", location);
        m.put("format", format.name());
        m.put("jpegReencoded", jpegReencoded);
        m.put("trainExamples", train.size());
        m.put("testExamples", test.size());
        return m;
    }
}
