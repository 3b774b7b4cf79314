package io.github.bert4j.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM the way the {@code ./bert4j} launcher starts one: the same JVM
 * flags ({@code --add-modules jdk.incubator.vector -Xmx4g -Dfile.encoding=UTF-8
 * -Djava.awt.headless=true}) and the same environment ({@code OMP_WAIT_POLICY=PASSIVE}, {@code
 * OPENBLAS_THREAD_TIMEOUT=4}, and no {@code OMP_NUM_THREADS}: the test JVM's single-thread setting
 * is removed, so ND4J and the Java kernels run as many threads as in a real run), on this JVM's
 * class path. For tests of what only shows across processes: bit-identical runs, resumption after a
 * kill, the first call of a JVM against later ones.
 */
public final class LauncherJvm {
    /** The JVM flags of the {@code ./bert4j} launcher (its default {@code BERT4J_JAVA_OPTS} included). */
    public static final List<String> LAUNCHER_FLAGS = List.of("--add-modules", "jdk.incubator.vector", "-Xmx4g",
            "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true");
    /** The environment the launcher exports. */
    public static final Map<String, String> LAUNCHER_ENV = Map.of("OMP_WAIT_POLICY", "PASSIVE",
            "OPENBLAS_THREAD_TIMEOUT", "4");

    private final List<String> extraFlags = new ArrayList<>();
    private final String mainClass;
    private final List<String> args;
    private Path workDir;

    private LauncherJvm(String mainClass, List<String> args) {
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
    }

    /** A JVM that will run {@code mainClass} with {@code args}. */
    public static LauncherJvm of(Class<?> mainClass, String... args) {
        return new LauncherJvm(mainClass.getName(), List.of(args));
    }

    /** JVM flags after the launcher's (e.g. {@code -XX:TieredStopAtLevel=1}). */
    public LauncherJvm flags(String... flags) {
        extraFlags.addAll(List.of(flags));
        return this;
    }

    /** The child's working directory (default: this JVM's). */
    public LauncherJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** The command line: java, flags, class path, main class, arguments. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LAUNCHER_FLAGS);
        cmd.addAll(extraFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The command line without the class path (for messages). */
    private String shortCommand() {
        return String.join(" ", command()).replace(System.getProperty("java.class.path"), "<class path>");
    }

    /** Starts the JVM; its standard output and error go to {@code log}. */
    public Process start(Path log) {
        ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().putAll(LAUNCHER_ENV);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + shortCommand(), e);
        }
    }

    /**
     * Runs the JVM to its end and returns what it printed (standard output and error); fails with
     * that output when it exits non-zero or runs past {@code timeoutSeconds}.
     */
    public String run(int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("bert4j-child-", ".log");
            try {
                Process p = start(log);
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("child JVM ran past " + timeoutSeconds + " s: " + shortCommand()
                            + "\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new AssertionError("child JVM exited with " + p.exitValue() + ": " + shortCommand()
                            + "\n" + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
