package io.github.bert4j.core.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar (over {@code me.tongfei:progressbar}) on standard error. On a terminal
 * it redraws one line ({@code \r}, colours, Unicode blocks) twice a second; otherwise (a log file,
 * a pipe, CI) it prints a plain ASCII line every {@value #PLAIN_INTERVAL_MILLIS} ms and a last one
 * when it closes, with no {@code \r} or escape sequences. Whether standard error is a terminal: the
 * system property {@code bert4j.terminal} ({@code true}/{@code false}; the {@code bert4j} launcher
 * sets it from {@code [ -t 2 ]}), else whether the JVM has a console. Silent when the system
 * property {@code bert4j.quiet} is {@code true}: then every method is a no-op, but {@link
 * #current()} still counts.
 *
 * <pre>{@code
 * try (Progress p = Progress.bar("train", totalSteps)) {
 *     for (...) { ...; p.step(); p.setExtraMessage("loss 2.31"); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
    /** System property that silences every progress bar. */
    public static final String QUIET_PROPERTY = "bert4j.quiet";
    /** System property saying whether standard error is an interactive terminal. */
    public static final String TERMINAL_PROPERTY = "bert4j.terminal";
    /** How often a bar prints a line when standard error is not a terminal. */
    static final int PLAIN_INTERVAL_MILLIS = 15_000;

    private final ProgressBar bar;
    private long current;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A new bar named {@code task}; {@code total <= 0} means an unknown total (indefinite bar).
     */
    public static Progress bar(String task, long total) {
        return bar(task, total, 0);
    }

    /** A new bar that starts at {@code start} (e.g. a resumed run). */
    public static Progress bar(String task, long total, long start) {
        if (isQuiet()) {
            Progress p = new Progress(null);
            p.current = start;
            return p;
        }
        ProgressBar bar = builder(task, total, start, System.err, isTerminal()).build();
        Progress p = new Progress(bar);
        p.current = start;
        return p;
    }

    /** The bar's settings: a redrawn line on a terminal, plain lines now and then elsewhere. */
    static ProgressBarBuilder builder(String task, long total, long start, PrintStream out, boolean terminal) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setConsumer(terminal
                        ? new ConsoleProgressBarConsumer(out)
                        // the width falls back to 80 columns otherwise, which cuts the extra message
                        : new DelegatingProgressBarConsumer(plainLines(out), 160))
                .setUpdateIntervalMillis(terminal ? 500 : PLAIN_INTERVAL_MILLIS)
                .showSpeed()
                // speed and ETA count from the resumed position, not from 0
                .startsFrom(Math.max(0, start), java.time.Duration.ZERO);
    }

    /** Prints each rendered bar as a line, except a repeat of the line before (a bar's close renders it again). */
    private static java.util.function.Consumer<String> plainLines(PrintStream out) {
        String[] last = {null};
        return line -> {
            String l = line.strip();
            if (!l.equals(last[0])) {
                out.println(l);
                last[0] = l;
            }
        };
    }

    /** Whether standard error is an interactive terminal (see the class comment). */
    public static boolean isTerminal() {
        String p = System.getProperty(TERMINAL_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Boolean.parseBoolean(p.strip());
        }
        return System.console() != null;
    }

    /** A progress counter that draws nothing (for callers whose user turned progress off). */
    public static Progress silent() {
        return new Progress(null);
    }

    /** Whether bars are silenced ({@code -Dbert4j.quiet=true}). */
    public static boolean isQuiet() {
        return Boolean.getBoolean(QUIET_PROPERTY);
    }

    public Progress step() {
        return stepBy(1);
    }

    /** Moves the bar to {@code value} (never backwards). */
    public synchronized Progress stepTo(long value) {
        return value > current ? stepBy(value - current) : this;
    }

    public synchronized Progress stepBy(long n) {
        current += n;
        if (bar != null) bar.stepBy(n);
        return this;
    }

    /** Text shown after the bar, e.g. {@code loss 2.310 | lr 1.0e-04 | 5120 tok/s}. */
    public Progress setExtraMessage(String message) {
        if (bar != null) bar.setExtraMessage(" " + message); // the bar glues it to the speed otherwise
        return this;
    }

    /** Units done so far. */
    public long current() {
        return current;
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
