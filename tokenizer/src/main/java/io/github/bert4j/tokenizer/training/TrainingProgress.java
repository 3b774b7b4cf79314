package io.github.bert4j.tokenizer.training;

/**
 * Progress of a training phase, logged through {@link System.Logger} at most every few seconds.
 * (Stands in for core's progress bar until that is available.)
 */
final class TrainingProgress implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TrainingProgress.class.getName());
    private final String task;
    private final long total;
    private final boolean show;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private long current;

    private TrainingProgress(String task, long total, boolean show) {
        this.task = task;
        this.total = total;
        this.show = show;
    }

    static TrainingProgress open(String task, long total, boolean show) {
        return new TrainingProgress(task, total, show);
    }

    void stepTo(long value) {
        current = value;
        long now = System.nanoTime();
        if (show && now - lastLog > 2_000_000_000L) {
            lastLog = now;
            LOG.log(System.Logger.Level.INFO, "{0}: {1}{2}", task, value, total > 0 ? "/" + total : "");
        }
    }

    @Override
    public void close() {
        if (show) {
            LOG.log(System.Logger.Level.INFO, "{0}: {1} done in {2} s", task, current,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
        }
    }
}
