package io.github.widenet.train;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The start of a run, the same for every command: the run directory chosen and locked ({@link RunDirectory}: a fresh
 * run refuses an earlier one unless {@code --overwrite}; {@code --resume} needs one), the options that change the
 * numbers compared with those saved at the start ({@link RunOptionsFile}, on {@code --resume}) or saved, and the stop
 * signals handled ({@link StopSignal}). All before any data is read; every refusal is an
 * {@link InvalidOptionException} (exit 2) naming the option and both values.
 * <pre>{@code
 * RunStart start = RunStart.open("teacher-width", run, RunOptions.numbers(spec));
 * start.data(Map.of());        // or the data's identity once it is located
 * Path out = start.dir();
 * }</pre>
 */
public final class RunStart {

    private final Path dir;
    private final Map<String, ?> numbers;
    private final Optional<JsonNode> saved;

    private RunStart(Path dir, Map<String, ?> numbers, Optional<JsonNode> saved) {
        this.dir = dir;
        this.numbers = numbers;
        this.saved = saved;
    }

    /**
     * Validates {@code run}, chooses and locks the run directory of {@code command} and, on {@code --resume}, checks
     * {@code numbers} (option name → parsed value) against the saved ones.
     */
    public static RunStart open(String command, RunOptions run, Map<String, ?> numbers) throws IOException {
        try {
            run.validate();
            Path dir = RunDirectory.choose(run.out(), command, run.resume(), run.overwrite());
            Optional<JsonNode> saved = run.resume() ? RunOptionsFile.checkResume(dir, numbers) : Optional.empty();
            StopSignal.install();
            io.github.widenet.report.RunManifest.gitCommit();      // the commit the run starts from, for its manifests
            return new RunStart(dir, numbers, saved);
        } catch (InvalidOptionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage(), e);
        }
    }

    /** The locked run directory. */
    public Path dir() {
        return dir;
    }

    /** Whether this run continues an earlier one (its options were checked). */
    public boolean resumed() {
        return saved.isPresent();
    }

    /**
     * With the data located: a resumed run checks its identity against the saved one; a fresh run saves the options
     * and the data identity ({@link RunOptionsFile#FILE}). Commands without input data pass an empty map.
     *
     * @return this
     */
    public RunStart data(Map<String, ?> identity) throws IOException {
        if (saved.isPresent()) {
            try {
                RunOptionsFile.checkData(dir, saved.get(), identity);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException(e.getMessage(), e);
            }
        } else {
            RunOptionsFile.write(dir, numbers, identity);
        }
        return this;
    }
}
