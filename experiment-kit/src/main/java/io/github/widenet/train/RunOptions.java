package io.github.widenet.train;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run-directory options every experiment command shares, as a picocli mixin ({@code @Mixin RunOptions run}):
 * {@code --out}, {@code --resume}, {@code --overwrite}. {@link RunStart#open} turns them into a locked run directory.
 */
public final class RunOptions {

    /** The options of this mixin (never among a run's numbers). */
    public static final Set<String> NAMES = Set.of("--out", "--resume", "--overwrite");

    @Option(names = "--out", description = "output directory (default: a new runs/${COMMAND-NAME}-<date>-<time>)")
    Path out;

    @Option(names = "--resume", description = "continue an interrupted run (in --out, else the latest "
            + "runs/${COMMAND-NAME}-*); options that change the numbers must be those the run started with ("
            + RunOptionsFile.FILE + ")")
    boolean resume;

    @Option(names = "--overwrite", description = "discard a previous run in --out")
    boolean overwrite;

    public Path out() {
        return out;
    }

    public boolean resume() {
        return resume;
    }

    public boolean overwrite() {
        return overwrite;
    }

    /** The values as given (tests and code that builds a command without parsing a command line). */
    public RunOptions set(Path out, boolean resume, boolean overwrite) {
        this.out = out;
        this.resume = resume;
        this.overwrite = overwrite;
        return this;
    }

    /** Checks the values alone (before anything is read or created): not both flags, an --out that can be written. */
    public void validate() {
        OptionRules.notBoth("--resume", resume, "--overwrite", overwrite,
                "--resume continues the run in --out, --overwrite discards it");
        OptionRules.writableDirectory("--out", out);
    }

    /**
     * The options of a parsed command that change its numbers, by option name with their parsed values: every option
     * except help, version, hidden ones, this mixin's and those named in {@code notNumbers} (e.g. a checkpoint
     * interval or a data directory, whose data is identified separately). A new option is thus checked on
     * {@code --resume} unless it is declared harmless here.
     */
    public static Map<String, Object> numbers(CommandSpec spec, String... notNumbers) {
        Set<String> skip = Set.of(notNumbers);
        Map<String, Object> m = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            if (o.usageHelp() || o.versionHelp() || o.hidden() || NAMES.contains(name) || skip.contains(name)) {
                continue;
            }
            Object v = o.getValue();
            m.put(name, v instanceof Path p ? p.toString() : v instanceof List<?> l ? List.copyOf(l) : v);
        }
        return m;
    }
}
