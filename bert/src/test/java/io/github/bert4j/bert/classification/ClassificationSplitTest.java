package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.corpus.DocumentSplit;
import io.github.bert4j.core.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ClassificationSplit}: deterministic, disjoint, complete; the label set from train only. */
class ClassificationSplitTest {

    static final List<LabelledText> PETITIONS = new LabelledTextReader(null, List.of("title", "content"), "category",
            LabelledTextReader.EmptyText.SKIP).read(TestData.petitions()).documents();

    private static LabelledText doc(int i, String label) {
        return new LabelledText("f.jsonl:" + (i + 1), i, "text " + i, label, Path.of("f.jsonl"), i + 1);
    }

    @Test
    void byIndexIsEightyTenTenDisjointAndTheSameEveryTime() {
        ClassificationSplit.Scheme s = ClassificationSplit.Scheme.byIndex(10, 3, 7);
        ClassificationSplit.Split a = ClassificationSplit.split(PETITIONS, s, ClassificationSplit.UnknownLabels.ERROR);
        ClassificationSplit.Split b = ClassificationSplit.split(new ArrayList<>(PETITIONS), s,
                ClassificationSplit.UnknownLabels.ERROR);
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.valid()).isEqualTo(b.valid());
        assertThat(a.test()).isEqualTo(b.test());
        assertThat(a.valid()).hasSize(305).allMatch(d -> d.index() % 10 == 3);
        assertThat(a.test()).hasSize(305).allMatch(d -> d.index() % 10 == 7);
        assertThat(a.train()).hasSize(2442).allMatch(d -> d.index() % 10 != 3 && d.index() % 10 != 7);
        Set<String> ids = new HashSet<>();
        for (ClassificationSplit.Part p : ClassificationSplit.Part.values()) {
            a.part(p).forEach(d -> assertThat(ids.add(d.id())).as(d.id()).isTrue());
        }
        assertThat(ids).hasSize(PETITIONS.size());
        assertThat(a.labels()).hasSize(17).isSorted().first().isEqualTo("경제민주화");
        assertThat(a.dropped()).containsEntry("valid", 0).containsEntry("test", 0);
        assertThat(a.distribution(a.test()).get("기타")).isEqualTo(48);
        assertThat(a.distribution(a.test()).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(305);
    }

    @Test
    void thePretrainingHoldOutIsTheTestSplitAndValidComesFromTheRest() {
        ClassificationSplit.Scheme s = ClassificationSplit.Scheme.pretrainingHoldout(0.1, 42, 10, 3);
        ClassificationSplit.Split split = ClassificationSplit.split(PETITIONS, s, ClassificationSplit.UnknownLabels.ERROR);
        // the documents `bert4j pretrain` (valid_fraction 0.1, split_seed 42) kept out of the encoder's training
        assertThat(split.test()).hasSize(292).allMatch(d -> DocumentSplit.isValid(d.id(), 0.1, 42));
        assertThat(split.valid()).allMatch(d -> d.index() % 10 == 3 && !DocumentSplit.isValid(d.id(), 0.1, 42));
        assertThat(split.train().size() + split.valid().size() + split.test().size()).isEqualTo(3052);
        assertThat(split.valid().size()).isBetween(260, 290);
        assertThat(split.distribution(split.test()).get("보건복지")).isEqualTo(38);
    }

    @Test
    void aLabelUnknownToTrainIsDroppedAndCountedOrAnError() {
        List<LabelledText> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) docs.add(doc(i, i % 2 == 0 ? "b" : "a"));
        docs.set(3, doc(3, "new"));   // valid
        docs.set(17, doc(17, "new")); // test
        docs.set(13, doc(13, "new")); // valid
        ClassificationSplit.Scheme s = ClassificationSplit.Scheme.byIndex(10, 3, 7);
        ClassificationSplit.Split split = ClassificationSplit.split(docs, s, ClassificationSplit.UnknownLabels.DROP);
        assertThat(split.labels()).containsExactly("a", "b");
        assertThat(split.dropped()).containsEntry("valid", 2).containsEntry("test", 1);
        assertThat(split.valid()).isEmpty();
        assertThat(split.test()).extracting(LabelledText::index).containsExactly(7);
        assertThat(split.ids(split.test())).containsExactly(0);
        assertThatThrownBy(() -> ClassificationSplit.split(docs, s, ClassificationSplit.UnknownLabels.ERROR))
                .hasMessageContaining("f.jsonl, line 4").hasMessageContaining("label \"new\"")
                .hasMessageContaining("never occurs in the training split");
        // a label seen only in valid/test is not a class; one train label is not enough
        List<LabelledText> one = List.of(doc(0, "a"), doc(1, "a"), doc(3, "b"));
        assertThatThrownBy(() -> ClassificationSplit.split(one, s, ClassificationSplit.UnknownLabels.DROP))
                .hasMessageContaining("at least 2 labels");
    }

    @Test
    void schemesRefuseContradictions() {
        assertThatThrownBy(() -> ClassificationSplit.Scheme.byIndex(10, 3, 3)).hasMessageContaining("differ");
        assertThatThrownBy(() -> new ClassificationSplit.Scheme(10, 3, 7, 0.1, 42)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ClassificationSplit.Scheme.pretrainingHoldout(1.0, 42, 10, 3)).hasMessageContaining("(0, 1)");
    }
}
