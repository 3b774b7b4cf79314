package io.github.bert4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Drops the lines that ND4J 1.0.0-M2.1 prints straight to {@code System.out} while it builds a
 * gradient function ({@code Added differentiated op ...}, dozens per graph), so that the CLI's
 * standard output stays readable (and parseable for the commands that print JSON). Everything
 * else passes through unchanged, line by line.
 */
final class ConsoleNoise extends OutputStream {
    private static final List<String> NOISE = List.of("Added differentiated op ");

    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private ConsoleNoise(OutputStream target) {
        this.target = target;
    }

    /** Installs the filter on {@code System.out} (idempotent enough for a CLI's main). */
    static void filterStandardOutput() {
        if (!(System.out instanceof Filtered)) {
            System.setOut(new Filtered(new ConsoleNoise(new java.io.FileOutputStream(java.io.FileDescriptor.out))));
        }
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
        target.flush();
    }

    private void emit() throws java.io.IOException {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        for (String prefix : NOISE) {
            if (s.startsWith(prefix)) {
                return;
            }
        }
        target.write(s.getBytes(StandardCharsets.UTF_8));
        target.flush();
    }

    /** Marker type so the filter is installed once. */
    private static final class Filtered extends PrintStream {
        Filtered(OutputStream out) {
            super(out, true, StandardCharsets.UTF_8);
        }
    }
}
