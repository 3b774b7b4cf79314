package io.github.bert4j.ner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NerSplitsThreeWayTest {

    @Test
    void theBundledRuleGives2800Train400Valid800TestAndTheUsualTestSplit() {
        List<Integer> idx = IntStream.range(0, 4000).boxed().toList();
        NerSplits.ThreeWay<Integer> s = NerSplits.byIndex(idx, 5, 4, 10, 3);
        assertThat(s.train()).hasSize(2800);
        assertThat(s.valid()).hasSize(400).allMatch(i -> i % 10 == 3);
        assertThat(s.test()).isEqualTo(NerSplits.everyFifth(idx).test());
        List<Integer> all = new ArrayList<>(s.train());
        all.addAll(s.valid());
        all.addAll(s.test());
        assertThat(all).doesNotHaveDuplicates().hasSize(4000);
        assertThat(s.train()).noneMatch(i -> i % 5 == 4 || i % 10 == 3).isSorted();
    }

    @Test
    void aValidationRuleThatOnlyPicksTestSentencesIsRefused() {
        List<Integer> idx = IntStream.range(0, 100).boxed().toList();
        assertThatThrownBy(() -> NerSplits.byIndex(idx, 5, 4, 10, 9))
                .hasMessageContaining("leaves 80 train and 0 valid sentences of 100");
        assertThatThrownBy(() -> NerSplits.byIndex(idx, 5, 4, 1, 0)).hasMessageContaining("validModulus >= 2");
    }
}
