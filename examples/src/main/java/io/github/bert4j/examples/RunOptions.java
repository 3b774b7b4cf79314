package io.github.bert4j.examples;

import picocli.CommandLine.Option;

/** {@code --resume} and {@code --overwrite}: what every training command (single machine or Spark) does with an earlier run. */
public final class RunOptions {

    @Option(names = "--resume", description = "Continue from the output's last checkpoint if it holds a training state.")
    boolean resume;

    @Option(names = "--overwrite", description = "Without --resume: delete the checkpoints of an earlier run in the "
            + "output and start over (by default such a run is refused).")
    boolean overwrite;

    /** {@code --resume}. */
    public boolean resume() {
        return resume;
    }

    /** {@code --overwrite}. */
    public boolean overwrite() {
        return overwrite;
    }
}
