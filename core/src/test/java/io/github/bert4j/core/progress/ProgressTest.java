package io.github.bert4j.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final PrintStream originalErr = System.err;
    private final String originalQuiet = System.getProperty(Progress.QUIET_PROPERTY);

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        if (originalQuiet == null) System.clearProperty(Progress.QUIET_PROPERTY);
        else System.setProperty(Progress.QUIET_PROPERTY, originalQuiet);
    }

    private static String render(Runnable body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        body.run();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void drawsAsciiBarWithExtraMessageWhenNotATerminal() {
        System.setProperty(Progress.QUIET_PROPERTY, "false");
        String out = render(() -> {
            try (Progress p = Progress.bar("train", 10)) {
                p.stepBy(4).setExtraMessage("loss 2.3100");
                assertThat(p.current()).isEqualTo(4);
            }
        });
        assertThat(out).contains("train").contains("4/10").contains("loss 2.3100");
        assertThat(out.chars().allMatch(c -> c < 128)).as("ASCII only: %s", out).isTrue();
    }

    @Test
    void quietModePrintsNothingButCounts() {
        System.setProperty(Progress.QUIET_PROPERTY, "true");
        String out = render(() -> {
            try (Progress p = Progress.bar("train", 10, 3)) {
                p.step().step();
                assertThat(p.current()).isEqualTo(5);
            }
        });
        assertThat(out).isEmpty();
    }
}
