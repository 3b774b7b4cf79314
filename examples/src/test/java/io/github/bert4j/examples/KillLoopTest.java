package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's kill probe in the suite: a tiny pretraining and a tiny NER fine-tuning, each
 * SIGKILLed twice (as a checkpoint write starts, as the final model directory write starts) and
 * resumed; {@link KillLoop#main} adds kills at random moments (its default: 4 per job). Nothing unloadable, nothing left behind, no MLflow run
 * left RUNNING, and one FINISHED run per job (resumes continue their run).
 */
class KillLoopTest {

    @Test
    void killedRunsLeaveLoadableCheckpointsAndNoTemporariesAndResume(@TempDir Path work) throws Exception {
        KillLoop loop = new KillLoop(work, KillLoop.testClasspath(), 15);
        KillLoop.Figures pre = loop.pretraining(2);
        KillLoop.Figures ner = loop.finetuning(2);
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO, "kill loop: pretraining {0}; finetune-ner {1}",
                pre, ner);
        for (KillLoop.Figures f : new KillLoop.Figures[] {pre, ner}) {
            assertThat(f.problems()).as(f.toString()).isEmpty();
            assertThat(f.killsDuringWrites()).as(f.toString()).isEqualTo(2);
            assertThat(f.unloadable()).isZero();
            assertThat(f.leakedFiles()).isZero();
            assertThat(f.runningRuns()).as(f.toString()).isZero();
            assertThat(f.finishedRuns()).as(f.toString()).isEqualTo(1);
        }
    }
}
