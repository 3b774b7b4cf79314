package io.github.bert4j.examples;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --input} / {@code --output} options of the line-in, line-out commands: UTF-8 files, or stdin and stdout. */
public final class LineFiles {
    @Option(names = "--input", paramLabel = "FILE", description = "Read from FILE instead of stdin.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    /** {@code --input}, or stdin. */
    public BufferedReader reader() throws IOException {
        return input == null ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(input, StandardCharsets.UTF_8);
    }

    /** {@code --output}, or stdout. */
    public BufferedWriter writer() throws IOException {
        return output == null ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    }
}
