package io.github.bert4j.core.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar (over {@code me.tongfei:progressbar}) drawn on standard error, with
 * ASCII characters when the console is not an interactive terminal (log files, CI). Silent when
 * the system property {@code bert4j.quiet} is {@code true}: then every method is a no-op, but
 * {@link #current()} still counts.
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
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(System.console() != null ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                // without a terminal the width falls back to 80 columns, which cuts the extra message
                .setConsumer(System.console() != null
                        ? new ConsoleProgressBarConsumer(System.err)
                        : new ConsoleProgressBarConsumer(System.err, 160))
                .setUpdateIntervalMillis(500)
                .showSpeed()
                // speed and ETA count from the resumed position, not from 0
                .startsFrom(Math.max(0, start), java.time.Duration.ZERO)
                .build();
        Progress p = new Progress(bar);
        p.current = start;
        return p;
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
