package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.ner.crf.ViterbiResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The tagger against the same model in PyTorch ({@link TorchCrfTagger}, DJL): emissions and the
 * decoded tag paths agree on a padded batch, so {@code bench ner} compares the same computation.
 */
class TorchCrfTaggerTest {

    @Test
    void emissionsAndDecodedPathsMatchPyTorch() {
        BertConfig c = BertConfig.tiny(120).withDropout(0.0);
        try (BertCrfTagger tagger = NerBenchmark.randomTagger(c, 7); TorchCrfTagger torch = new TorchCrfTagger(tagger)) {
            // spread the classifier so that emissions, not ties, decide the paths
            tagger.headParameters().get(BertCrfTagger.CLASSIFIER_WEIGHT).muli(50);
            try (TorchCrfTagger scaled = new TorchCrfTagger(tagger)) {
                NerBenchmark.Inputs in = NerBenchmark.randomInputs(120, 6, 20, 3);
                INDArray ours = tagger.emissions(in.inputIds(), in.attentionMask());
                INDArray theirs = scaled.emissions(in.inputIds(), in.attentionMask());
                assertThat(Transforms.abs(ours.sub(theirs)).maxNumber().doubleValue()).isLessThan(1e-4);
                assertThat(ours.stdNumber().doubleValue()).isGreaterThan(0.1);

                ViterbiResult[] expected = tagger.decode(in.inputIds(), in.attentionMask());
                int[][] actual = scaled.decode(in.inputIds(), in.attentionMask());
                assertThat(actual.length).isEqualTo(expected.length);
                int distinctTags = 0;
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("sequence %d", i).containsExactly(expected[i].path());
                    for (int tag : actual[i]) {
                        seen.add(tag);
                    }
                }
                distinctTags = seen.size();
                assertThat(distinctTags).as("paths use several tags (not a trivial all-O decode)").isGreaterThan(3);
            }
        }
    }
}
