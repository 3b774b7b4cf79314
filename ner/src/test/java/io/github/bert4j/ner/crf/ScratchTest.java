package io.github.bert4j.ner.crf;

import io.github.bert4j.ner.data.TagSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ScratchTest {
    @Test
    void scratch() {
        for (int t : new int[]{32, 128, 256}) {
          for (var alg : LinearChainCrf.ForwardAlgorithm.values()) {
            int b = 32;
            long t0 = System.nanoTime();
            var g = LinearChainCrfTest.build(13, t, DataType.FLOAT, Reduction.MEAN, TransitionConstraints.bio(TagSet.klue()), 1, alg);
            long t1 = System.nanoTime();
            var em = LinearChainCrfTest.randomEmissions(new SplittableRandom(1), b, t, 13, 3, DataType.FLOAT);
            var feed = g.feed(em, Nd4j.zeros(DataType.INT32, b, t), Nd4j.ones(DataType.FLOAT, b, t));
            StringBuilder sb = new StringBuilder(alg + " T=" + t + " build " + (t1 - t0) / 1000000);
            for (int i = 0; i < 4; i++) {
                long a = System.nanoTime();
                g.sd().calculateGradients(feed, List.of("emissions", LinearChainCrf.START, LinearChainCrf.TRANSITIONS));
                sb.append(" grad" + i + " " + (System.nanoTime() - a) / 1000000);
            }
            for (int i = 0; i < 2; i++) {
                long a = System.nanoTime();
                g.forward(em, Nd4j.zeros(DataType.INT32, b, t), Nd4j.ones(DataType.FLOAT, b, t));
                sb.append(" fwd" + i + " " + (System.nanoTime() - a) / 1000000);
            }
            System.err.println("ok " + sb + " ops " + g.sd().getOps().size());
          }
        }
    }
}
