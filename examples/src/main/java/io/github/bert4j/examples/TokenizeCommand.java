package io.github.bert4j.examples;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.EncodingJson;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.TruncationStrategy;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 *
 * <p>When the tokenizer sits in a model directory (a {@code config.json} beside it), the first line
 * that encodes to more tokens than the model's {@code max_position_embeddings} draws one warning on
 * standard error: the model could not take it without {@code --max-length}.
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

    @CommandLine.Mixin
    LineFiles files;

    @Override
    public Integer call() throws IOException {
        Tokenizer tokenizer = configure(Tokenizer.load(tokenizerPath), maxLength);
        Path modelConfig = modelConfig(tokenizerPath);
        int maxPositions = maxLength > 0 || modelConfig == null ? 0 : BertConfig.load(modelConfig).maxPositionEmbeddings();
        try (BufferedReader in = files.reader(); BufferedWriter out = files.writer()) {
            run(tokenizer, in, out, maxPositions, (line, length) -> System.err.printf(
                    "bert4j tokenize: warning: line %d encodes to %d tokens, more than the model's %d positions "
                            + "(max_position_embeddings in %s); --max-length %d truncates (further lines are not "
                            + "reported)%n", line, length, maxPositions, modelConfig, maxPositions));
        }
        return 0;
    }

    /** The {@code config.json} of the model directory that holds the tokenizer, or null if none. */
    static Path modelConfig(Path tokenizerPath) {
        Path dir = Files.isDirectory(tokenizerPath) ? tokenizerPath : tokenizerPath.toAbsolutePath().getParent();
        Path config = dir == null ? null : dir.resolve("config.json");
        return config != null && Files.isRegularFile(config) ? config : null;
    }

    /** Told (once) of the first encoding longer than the model's positions: 1-based line, token count. */
    @FunctionalInterface
    public interface TooLong {
        void warn(long line, int length);
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
        return run(tokenizer, in, out, 0, null);
    }

    /**
     * As {@link #run(Tokenizer, BufferedReader, Writer)}, calling {@code tooLong} for the first
     * encoding longer than {@code maxPositions} tokens ({@code 0}: no limit known).
     */
    public static long run(Tokenizer tokenizer, BufferedReader in, Writer out, int maxPositions, TooLong tooLong) {
        long n = 0;
        boolean warned = false;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Encoding e = EncodingJson.encodeLine(tokenizer, line);
                out.write(EncodingJson.write(e));
                out.write('\n');
                n++;
                if (!warned && maxPositions > 0 && e.length() > maxPositions && tooLong != null) {
                    tooLong.warn(n, e.length());
                    warned = true;
                }
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
