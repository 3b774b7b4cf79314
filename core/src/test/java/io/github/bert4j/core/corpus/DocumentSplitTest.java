package io.github.bert4j.core.corpus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentSplitTest {

    private static final List<String> IDS = IntStream.range(0, 20_000).mapToObj(i -> "petitions_2019-04.jsonl:" + i).toList();

    @Test
    void fractionIsRespected() {
        long valid = IDS.stream().filter(id -> DocumentSplit.isValid(id, 0.1, 42)).count();
        // binomial(20000, 0.1): sd = 42; allow 4 sd
        assertThat(valid).isBetween(2000L - 170, 2000L + 170);
        assertThat(IDS.stream().filter(id -> DocumentSplit.isValid(id, 0.0, 42)).count()).isZero();
        assertThat(IDS.stream().filter(id -> DocumentSplit.isValid(id, 1.0, 42)).count()).isEqualTo(IDS.size());
    }

    @Test
    void deterministicAndIndependentOfOrder() {
        List<String> shuffled = new ArrayList<>(IDS);
        Collections.shuffle(shuffled, new Random(3));
        List<String> a = IDS.stream().filter(id -> DocumentSplit.isValid(id, 0.2, 7)).sorted().toList();
        List<String> b = shuffled.stream().filter(id -> DocumentSplit.isValid(id, 0.2, 7)).sorted().toList();
        assertThat(a).isEqualTo(b);
        // golden values pin the hash so a refactor cannot silently reshuffle everyone's valid set
        assertThat(DocumentSplit.unit("petitions_2017-08.jsonl:1", 42)).isEqualTo(goldenUnit("petitions_2017-08.jsonl:1", 42));
        assertThat(DocumentSplit.byDocument("petitions_2017-08.jsonl:1", 0.5, 42))
                .isEqualTo(goldenUnit("petitions_2017-08.jsonl:1", 42) < 0.5 ? DocumentSplit.VALID : DocumentSplit.TRAIN);
    }

    @Test
    void seedChangesTheSplitAndLargerFractionsOnlyAddDocuments() {
        List<String> s1 = IDS.stream().filter(id -> DocumentSplit.isValid(id, 0.1, 1)).toList();
        List<String> s2 = IDS.stream().filter(id -> DocumentSplit.isValid(id, 0.1, 2)).toList();
        assertThat(s1).isNotEqualTo(s2);
        List<String> wider = IDS.stream().filter(id -> DocumentSplit.isValid(id, 0.3, 1)).toList();
        assertThat(wider).containsAll(s1);
        assertThatThrownBy(() -> DocumentSplit.byDocument("x", 1.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validFraction must be in [0, 1], got 1.5");
    }

    /** Independent re-implementation of the documented hash (FNV-1a 64 over UTF-8, SplitMix64 finalizer). */
    private static double goldenUnit(String id, long seed) {
        java.math.BigInteger mask = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);
        java.math.BigInteger h = new java.math.BigInteger("cbf29ce484222325", 16);
        java.math.BigInteger prime = new java.math.BigInteger("100000001b3", 16);
        for (byte b : id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = h.xor(java.math.BigInteger.valueOf(b & 0xff)).multiply(prime).and(mask);
        }
        long hv = h.longValue();
        long z = mixRef(hv ^ mixRef(seed + 0x9E3779B97F4A7C15L));
        return (z >>> 11) / (double) (1L << 53);
    }

    private static long mixRef(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
