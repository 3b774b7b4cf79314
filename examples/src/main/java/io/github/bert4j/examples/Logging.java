package io.github.bert4j.examples;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One log format for the CLI: bert4j's own messages (System.Logger, i.e. java.util.logging) and
 * JavaCPP's (which prints to standard error by default) go through SLF4J, where ND4J's already go,
 * and come out as slf4j-simple's {@code LEVEL Logger - message} lines ({@code
 * simplelogger.properties} sets the levels).
 */
final class Logging {
    /** JavaCPP's switch to SLF4J (read when its loader first logs). */
    static final String JAVACPP_LOGGER = "org.bytedeco.javacpp.logger";

    private Logging() {
    }

    /** Call first in {@code main}, before ND4J loads. */
    static void routeToSlf4j() {
        if (System.getProperty(JAVACPP_LOGGER) == null) {
            System.setProperty(JAVACPP_LOGGER, "slf4j");
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
