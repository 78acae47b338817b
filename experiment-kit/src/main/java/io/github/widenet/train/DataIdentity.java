package io.github.widenet.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What identifies a run's training and test data, not where it lies: sizes and CRC32 checksums, recorded at the start
 * and compared on {@code --resume} ({@link RunStart#data}).
 */
public record DataIdentity(int trainExamples, long trainCrc32, int testExamples, long testCrc32) {

    /** As recorded in {@code run-options.json}: the sizes, and the checksums in hexadecimal. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainExamples", trainExamples);
        m.put("testExamples", testExamples);
        m.put("trainCrc32", Long.toHexString(trainCrc32));
        m.put("testCrc32", Long.toHexString(testCrc32));
        return m;
    }
}
