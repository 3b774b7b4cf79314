package io.github.bert4j.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bert4j} command line. Each subcommand is a thin shell over a library entry point (or
 * an example class with a {@code main}) so that Java users and the CLI run the same code.
 */
@Command(
        name = "bert4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Train BERT from scratch and fine-tune it for NER and text classification on the JVM (Korean first).",
        subcommands = {VersionCommand.class, CommandLine.HelpCommand.class, TrainTokenizerCommand.class,
                TokenizeCommand.class, PretrainCommand.class, FinetuneNerCommand.class, EvaluateNerCommand.class,
                TagCommand.class, PseudoLabelCommand.class, FinetuneClassifierCommand.class, ClassifyCommand.class, EncodeCommand.class, ExportOnnxCommand.class, ImportOnnxCommand.class,
                io.github.bert4j.examples.quickstart.QuickstartCommand.class,
                io.github.bert4j.examples.bench.BenchCommand.class})
public final class Bert4jCli {

    /** Where Spark's classes come from when they are not on the class path: what the user is told. */
    static final String SPARK_MISSING = "Apache Spark is not on the class path. Spark is a provided dependency: "
            + "run the Spark jobs through ./bert4j (it adds examples/target/spark-lib, which `mvn package` fills) "
            + "or through spark-submit with the bert4j-spark jar (README, section Spark)";

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine(sparkOnClassPath(Bert4jCli.class.getClassLoader())).execute(args);
    }

    /**
     * The command tree. {@code bert4j spark ...} is added only when Spark's classes can be loaded:
     * its commands' options mention Spark types, so introspecting them without Spark would make every
     * command fail with {@code NoClassDefFoundError} (for example under {@code java -jar}, whose class
     * path has no {@code provided} jars); without Spark, {@code spark} answers with {@link #SPARK_MISSING}.
     */
    static CommandLine commandLine(boolean withSpark) {
        CommandLine cli = new CommandLine(new Bert4jCli());
        if (withSpark) {
            cli.addSubcommand(new io.github.bert4j.examples.spark.SparkCommand());
        } else {
            cli.addSubcommand("spark", new SparkMissing());
        }
        return cli
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Bert4jCli::reportFailure);
    }

    static boolean sparkOnClassPath(ClassLoader loader) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** {@code bert4j spark ...} without Spark on the class path. */
    @Command(name = "spark", description = "Apache Spark jobs (Spark is not on this class path).")
    static final class SparkMissing implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Unmatched
        java.util.List<String> ignored;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("bert4j spark: " + SPARK_MISSING);
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    public static void main(String[] args) {
        Logging.routeToSlf4j();
        ConsoleNoise.filterStandardOutput();
        System.exit(run(args));
    }

    /**
     * A failed command prints one readable line per cause ({@code bert4j: <message>}), not a stack
     * trace; {@code BERT4J_DEBUG=1} (or {@code -Dbert4j.debug=true}) prints the trace too.
     */
    static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        java.io.PrintWriter err = cmd.getErr();
        String prefix = "bert4j " + cmd.getCommandName() + ": ";
        boolean debug = Boolean.getBoolean("bert4j.debug") || System.getenv("BERT4J_DEBUG") != null;
        boolean internal = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (!explainsItself(t)) {
                // a bug rather than bad input: say what failed and where, not just its message
                internal = true;
                msg = "internal error: " + t.getClass().getSimpleName()
                        + (t.getMessage() != null ? ": " + t.getMessage() : "") + where(t);
            }
            err.println((t == e ? prefix : "  caused by: ") + msg);
            if (t instanceof io.github.bert4j.core.config.ConfigException) {
                break;   // its message is complete (key, what was expected, file, line); its causes repeat it
            }
        }
        if (debug) {
            e.printStackTrace(err);
        } else if (internal) {
            err.println("  (BERT4J_DEBUG=1 prints the full stack trace)");
        }
        err.flush();
        return 1;
    }

    /** Exceptions whose message is written for the user (bad input, I/O, our own failure types). */
    static boolean explainsItself(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof java.io.IOException
                || t instanceof java.io.UncheckedIOException || t instanceof CommandLine.ParameterException
                || t.getClass().getName().startsWith("io.github.bert4j.");
    }

    /** {@code " at Class.method(File:line)"}: the first frame in bert4j's code, else the first frame. */
    static String where(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        for (StackTraceElement f : trace) {
            if (f.getClassName().startsWith("io.github.bert4j.")) {
                return " at " + f;
            }
        }
        return trace.length > 0 ? " at " + trace[0] : "";
    }
}
