package io.github.bert4j.bert.eager.kernels;

import io.github.bert4j.bert.KernelDeterminismProbe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.testing.LauncherJvm;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels give the same bits on every call and in every JVM, with the flags of the
 * {@code ./bert4j} launcher: the first {@code encode()} and training pass of a fresh JVM (the
 * interpreter, then C1: the Vector API's Java fallback, lane by lane) equal the later ones (C2's
 * intrinsics), and a JVM held at C1 equals one that reaches C2. Before the kernels' {@code exp} and
 * lane sums were built from exact lane operations ({@link AttentionKernels#exp}), the first calls
 * differed from the later ones in the last bits.
 */
class KernelDeterminismTest {
    private static final Pattern LINE = Pattern.compile("first=(\\p{XDigit}{64}) distinct=(\\d+) changedAt=(-?\\d+)");

    private static Matcher probe(int calls, String... flags) {
        String out = LauncherJvm.of(KernelDeterminismProbe.class, String.valueOf(calls)).flags(flags).run(120);
        Matcher m = LINE.matcher(out);
        assertThat(m.find()).as("probe output:\n%s", out).isTrue();
        return m;
    }

    @Test
    void aFreshJvmGivesTheSameBitsOnEveryCallAndTheSameAsAJvmHeldAtC1() {
        Matcher full = probe(150);
        assertThat(full.group(2)).as("distinct results over 150 calls (first differing call %s)", full.group(3)).isEqualTo("1");
        // held at C1 the Vector API never reaches its C2 intrinsics: every lane runs Java code
        Matcher c1 = probe(20, "-XX:TieredStopAtLevel=1");
        assertThat(c1.group(2)).isEqualTo("1");
        assertThat(c1.group(1)).as("C1-only JVM against the C2 one").isEqualTo(full.group(1));
    }
}
