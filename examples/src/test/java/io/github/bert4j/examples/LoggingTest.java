package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

class LoggingTest {

    /** bert4j's System.Logger messages came out as JUL's two-line format beside slf4j-simple's lines. */
    @Test
    void systemLoggerMessagesComeOutInSlf4jsFormat() throws Exception {
        PrintStream old = System.err;
        String javacpp = System.getProperty(Logging.JAVACPP_LOGGER);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Logging.routeToSlf4j();
            System.getLogger("io.github.bert4j.examples.SomeStage").log(System.Logger.Level.INFO, "tokenized 3 documents");
        } finally {
            System.setErr(old);
            SLF4JBridgeHandler.uninstall();
            LogManager.getLogManager().readConfiguration();
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertThat(err).contains("INFO SomeStage - tokenized 3 documents").doesNotContain("INFO: tokenized");
        assertThat(System.getProperty(Logging.JAVACPP_LOGGER)).isEqualTo("slf4j");
        if (javacpp == null) System.clearProperty(Logging.JAVACPP_LOGGER);
    }
}
