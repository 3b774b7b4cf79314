package io.github.bert4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * bert4j vs HuggingFace tokenizers (DJL) on the same tokenizer.json and the same petitions text,
 * side by side. Not a test; run manually:
 * {@code java -cp <test classpath> io.github.bert4j.tokenizer.HfTokenizerBenchmark [tokenizer.json] [seconds]}.
 */
public final class HfTokenizerBenchmark {
    private HfTokenizerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path json = args.length > 0 ? Path.of(args[0])
                : Path.of(HfTokenizerBenchmark.class.getResource("/parity/tokenizer.json").toURI());
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        List<Path> files = TestCorpus.petitionFiles();
        List<String> texts = TestCorpus.petitions(List.of(files.get(files.size() - 1)));
        Tokenizer bert4j = Tokenizer.load(json);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(json).optTruncation(false)
                .optPadding(false).optAddSpecialTokens(true).build()) {
            TokenizerBenchmark.Subject hfSubject = new TokenizerBenchmark.Subject("hf-djl", hf::encode, hf::batchEncode);
            List<TokenizerBenchmark.Result> results = TokenizerBenchmark.run(
                    List.of(TokenizerBenchmark.of(bert4j), hfSubject), texts, 64, seconds);
            long chars = texts.stream().mapToLong(String::length).sum();
            System.out.printf("%d texts, %,d chars, %d threads%n", texts.size(), chars, Runtime.getRuntime().availableProcessors());
            results.forEach(System.out::println);
            System.out.printf("ratio bert4j/hf: single %.2f, batched %.2f%n",
                    results.get(0).singleCharsPerSecond() / results.get(1).singleCharsPerSecond(),
                    results.get(0).batchCharsPerSecond() / results.get(1).batchCharsPerSecond());
        }
    }
}
