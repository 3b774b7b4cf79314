package io.github.bert4j.examples;

import io.github.bert4j.tokenizer.EncodingJson;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.TruncationStrategy;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bert4j tokenize}: encodes UTF-8 text lines (stdin or {@code --input}) and writes one JSON
 * object per line (stdout or {@code --output}):
 *
 * <pre>{@code
 * {"ids":[2,1234,...,3],"tokens":["[CLS]","대통령",...,"[SEP]"],"offsets":[[0,0],[0,3],...,[0,0]],"type_ids":[0,0,...,0]}
 * }</pre>
 *
 * Special tokens are included; offsets are half-open UTF-16 indices into the line. A line holding a
 * TAB is encoded as the pair (text before the first TAB, text after it); the second segment's
 * offsets index into that second text, as HuggingFace reports them. The format is the tokenizer
 * module's {@link EncodingJson}.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text lines to JSON lines (ids, tokens, offsets, type_ids); a TAB makes a pair.")
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE",
            description = "tokenizer.json (or a directory holding one, or a vocab.txt).")
    Path tokenizerPath;

    @Option(names = "--max-length", defaultValue = "0",
            description = "Truncate to at most N tokens, special tokens included (longest first); 0 = no limit.")
    int maxLength;

    @Option(names = "--input", paramLabel = "FILE", description = "Read from FILE instead of stdin.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Override
    public Integer call() throws IOException {
        Tokenizer tokenizer = configure(Tokenizer.load(tokenizerPath), maxLength);
        Reader rawIn = input == null
                ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(input, StandardCharsets.UTF_8);
        Writer rawOut = output == null
                ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(rawIn); BufferedWriter out = new BufferedWriter(rawOut)) {
            run(tokenizer, in, out);
        }
        return 0;
    }

    /** The tokenizer with truncation to {@code maxLength} tokens (longest first), or without limit if 0. */
    public static Tokenizer configure(Tokenizer tokenizer, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("--max-length must be >= 0, got " + maxLength);
        }
        Tokenizer t = tokenizer.withoutPadding();
        return maxLength == 0 ? t.withoutTruncation() : t.withTruncation(maxLength, TruncationStrategy.LONGEST_FIRST);
    }

    /** Encodes every line of {@code in} to one JSON line on {@code out}; returns the number of lines. */
    public static long run(Tokenizer tokenizer, BufferedReader in, Writer out) {
        long n = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(EncodingJson.write(EncodingJson.encodeLine(tokenizer, line)));
                out.write('\n');
                n++;
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TokenizeCommand()).execute(args));
    }
}
