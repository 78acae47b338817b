package io.github.widenet.sweep;

import io.github.widenet.train.Sweepable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's command line: {@code <experiment> [experiment options] [--master URL] [--conf key=value]...}. The sweep's
 * own options may stand anywhere (also as --master=URL); every other argument is passed to the experiment unchanged.
 *
 * @param master      the --master given, or empty (then spark-submit's spark.master, else {@link MasterUrl#DEFAULT})
 * @param conf        Spark settings from --conf, in order
 * @param experimentArgs the experiment's own options
 */
public record SweepOptions(Sweepable experiment, Optional<MasterUrl> master, Map<String, String> conf,
                           List<String> experimentArgs, boolean help) {

    /** The usage text, listing the experiments found on the class path ({@link Sweepable#all()}) and their tasks. */
    public static String usage() {
        java.util.SortedMap<String, Sweepable> all = Sweepable.all();
        StringBuilder tasks = new StringBuilder();
        all.forEach((name, e) -> tasks.append("\n  ").append(String.format("%-8s", name)).append(" a task is ")
                .append(e.taskDescription()));
        return String.join("\n",
                "Usage: widenet sweep " + String.join("|", all.keySet())
                        + " [experiment options] [--master URL] [--conf key=value]...",
                "Runs the experiment's tasks as Apache Spark tasks and writes the same report, CSVs, plots and manifest",
                "as a single-process run into its --out (which every worker must see). --resume skips finished tasks; a",
                "lost task is retried by Spark and resumes from its task checkpoint. Experiments:" + tasks,
                "  --master URL       local[N] (default local[1]), local[N,maxFailures], spark://host:7077, yarn, k8s://...",
                "  --conf key=value   any Spark setting, e.g. spark.executor.cores=1 or spark.task.maxFailures=4",
                "Experiment options: ./widenet <experiment> --help.");
    }

    /** Parses {@code args}; a missing experiment, an unknown one, a bad --master or --conf is an error naming it. */
    public static SweepOptions parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("missing experiment: use 'sweep <experiment> ...' with one of "
                    + Sweepable.all().keySet());
        }
        if (args.get(0).equals("-h") || args.get(0).equals("--help")) {
            return new SweepOptions(null, Optional.empty(), Map.of(), List.of(), true);
        }
        Sweepable experiment = Sweepable.named(args.get(0));
        Optional<MasterUrl> master = Optional.empty();
        Map<String, String> conf = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--master") || a.equals("--conf")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a + ": missing value");
                }
                i++;
                if (a.equals("--master")) {
                    master = Optional.of(new MasterUrl(args.get(i)));
                } else {
                    addConf(conf, args.get(i));
                }
            } else if (a.startsWith("--master=")) {
                master = Optional.of(new MasterUrl(a.substring("--master=".length())));
            } else if (a.startsWith("--conf=")) {
                addConf(conf, a.substring("--conf=".length()));
            } else {
                rest.add(a);
            }
        }
        return new SweepOptions(experiment, master, conf, rest, false);
    }

    private static void addConf(Map<String, String> conf, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || !kv.startsWith("spark.")) {
            throw new IllegalArgumentException("--conf: expected spark.<key>=<value>, got '" + kv + "'");
        }
        conf.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
