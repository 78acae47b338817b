package io.github.widenet.mnist.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the MNIST data of a run came from, and the data itself.
 *
 * @param kind        how it was found
 * @param location    the directory, or the classpath folder of the embedded subset
 * @param description one line for logs and reports
 */
public record MnistSource(Kind kind, String location, String description, MnistSet train, MnistSet test) {

    /** The places the locator looks, in order. */
    public enum Kind {
        /** the directory given with --data-dir */
        EXPLICIT_DIR,
        /** the WIDENET_DATA environment variable */
        ENV,
        /** DL4J's own dataset cache (~/.deeplearning4j/data/MNIST) */
        DL4J_CACHE,
        /** downloaded into DL4J's cache by this run */
        DOWNLOADED,
        /** the small real subset shipped in this module's resources */
        EMBEDDED
    }

    /** What identifies the data (not where it lies): sizes and CRC32 checksums, for checks on --resume. */
    public Map<String, Object> identity() {
        return new io.github.widenet.train.DataIdentity(train.size(), train.checksum(), test.size(), test.checksum())
                .asMap();
    }

    /** JSON-able summary for manifests. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.name());
        m.put("location", location);
        m.put("description", description);
        m.put("trainExamples", train.size());
        m.put("testExamples", test.size());
        return m;
    }
}
