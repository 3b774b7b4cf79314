package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Bert4jCliTest {

    @Test
    void versionPrintsTheProjectVersion() {
        String out = capture(() -> assertThat(Bert4jCli.run("version")).isZero());
        assertThat(out).contains("bert4j 0.1.0-SNAPSHOT").contains("nd4j 1.0.0-M2.1").contains("java 17");
    }

    @Test
    void helpListsSubcommands() {
        String out = capture(() -> assertThat(Bert4jCli.run("--help")).isZero());
        assertThat(out).contains("Usage: bert4j").contains("version");
    }

    @Test
    void unknownSubcommandFails() {
        assertThat(Bert4jCli.run("no-such-command")).isNotZero();
    }

    @Test
    void aFailingCommandPrintsItsMessageNotAStackTrace() {
        java.io.PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Bert4jCli.run("evaluate-ner", "--model", "/nonexistent/model-dir", "--data", "/nonexistent/x.tsv");
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(err).startsWith("bert4j evaluate-ner: ").contains("/nonexistent").doesNotContain("\tat ");
    }

    static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
