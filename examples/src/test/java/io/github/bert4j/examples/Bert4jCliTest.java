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
        assertThat(out).contains("bert4j 0.1.0-SNAPSHOT").contains("nd4j 1.0.0-M2.1")
                .contains("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
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

    /** A bug (not bad input) names the exception and where it was thrown, not only its bare message ("-1"). */
    @Test
    void anInternalErrorSaysWhatFailedAndWhere() {
        picocli.CommandLine cmd = new picocli.CommandLine(new VersionCommand());
        java.io.StringWriter out = new java.io.StringWriter();
        cmd.setErr(new java.io.PrintWriter(out));
        Exception bug = new IllegalStateException("wrapped", new IndexOutOfBoundsException("-1"));
        bug.getCause().setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.Objects", "checkIndex", "Objects.java", 359),
            new StackTraceElement("io.github.bert4j.bert.SomeHead", "loss", "SomeHead.java", 42)});
        assertThat(Bert4jCli.reportFailure(bug, cmd, null)).isEqualTo(1);
        assertThat(out.toString())
                .contains("internal error: IndexOutOfBoundsException: -1 at io.github.bert4j.bert.SomeHead.loss(SomeHead.java:42)")
                .contains("BERT4J_DEBUG=1");
        java.io.StringWriter plain = new java.io.StringWriter();
        cmd.setErr(new java.io.PrintWriter(plain));
        Bert4jCli.reportFailure(new IllegalArgumentException("data.tsv line 3: expected 2 columns"), cmd, null);
        assertThat(plain.toString()).endsWith("data.tsv line 3: expected 2 columns" + System.lineSeparator())
                .doesNotContain("internal error");
    }

    static String captureErr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
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
