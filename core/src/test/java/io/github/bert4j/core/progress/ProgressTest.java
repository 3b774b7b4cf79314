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
    private final String originalTerminal = System.getProperty(Progress.TERMINAL_PROPERTY);

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        if (originalQuiet == null) System.clearProperty(Progress.QUIET_PROPERTY);
        else System.setProperty(Progress.QUIET_PROPERTY, originalQuiet);
        if (originalTerminal == null) System.clearProperty(Progress.TERMINAL_PROPERTY);
        else System.setProperty(Progress.TERMINAL_PROPERTY, originalTerminal);
    }

    private static String render(Runnable body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        body.run();
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** A log file of a quickstart was 47 KB of \r-frames with colour codes. */
    @Test
    void notOnATerminalABarPrintsPlainLinesWithoutCarriageReturnsOrEscapes() throws Exception {
        System.setProperty(Progress.QUIET_PROPERTY, "false");
        System.setProperty(Progress.TERMINAL_PROPERTY, "false");
        assertThat(Progress.isTerminal()).isFalse();
        String out = render(() -> {
            try (Progress p = Progress.bar("train", 100)) {
                for (int i = 0; i < 100; i++) {
                    p.step().setExtraMessage("loss " + i);
                }
            }
        });
        assertThat(out).contains("train").contains("100/100").doesNotContain("\r").doesNotContain("\u001b");
        // a line now and then (every PLAIN_INTERVAL_MILLIS) and a last one, not a frame per update
        assertThat(out.lines().filter(l -> l.contains("train")).count()).isBetween(1L, 3L);

        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        PrintStream ttyOut = new PrintStream(tty, true, StandardCharsets.UTF_8);
        try (me.tongfei.progressbar.ProgressBar bar = Progress.builder("train", 10, 0, ttyOut, true).build()) {
            bar.stepBy(3);
        }
        assertThat(tty.toString(StandardCharsets.UTF_8)).as("on a terminal: redrawn frames").contains("\r");
        assertThat(System.getProperty(Progress.TERMINAL_PROPERTY)).isEqualTo("false");
        System.setProperty(Progress.TERMINAL_PROPERTY, "true");
        assertThat(Progress.isTerminal()).isTrue();
    }

    @Test
    void drawsAsciiBarWithExtraMessageWhenNotATerminal() {
        System.setProperty(Progress.QUIET_PROPERTY, "false");
        System.setProperty(Progress.TERMINAL_PROPERTY, "false");
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
