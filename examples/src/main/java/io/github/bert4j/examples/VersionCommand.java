package io.github.bert4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code bert4j version}: prints the bert4j, ND4J and Java versions. */
@Command(name = "version", description = "Print the bert4j, ND4J and Java versions.")
public final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (String line : lines()) System.out.println(line);
        return 0;
    }

    static String[] lines() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/bert4j-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bert4j-version.properties", e);
        }
        return new String[] {
            "bert4j " + p.getProperty("version", "unknown"),
            "nd4j " + p.getProperty("nd4j.version", "unknown"),
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** Feeds {@code --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
