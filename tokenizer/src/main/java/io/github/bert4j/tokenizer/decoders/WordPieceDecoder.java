package io.github.bert4j.tokenizer.decoders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * HuggingFace's WordPiece decoder ({@code decoders/wordpiece.rs}): a token starting with
 * {@code prefix} is glued to the previous one (prefix removed), any other token after the first is
 * preceded by a space; with {@code cleanup}, the tokenization artifacts {@code " ."}, {@code " ?"},
 * {@code " !"}, {@code " ,"}, {@code " ' "}, {@code " n't"}, {@code " 'm"}, {@code " do not"},
 * {@code " 's"}, {@code " 've"}, {@code " 're"} are repaired in each token as HF does.
 */
public record WordPieceDecoder(@JsonProperty("prefix") String prefix, @JsonProperty("cleanup") boolean cleanup)
        implements Decoder {

    @JsonCreator
    public WordPieceDecoder(@JsonProperty("prefix") String prefix, @JsonProperty("cleanup") Boolean cleanup) {
        this(prefix == null ? "##" : prefix, cleanup == null || cleanup);
    }

    /** {@code ##}, cleanup on. */
    public static WordPieceDecoder standard() {
        return new WordPieceDecoder("##", true);
    }

    @Override
    public String decode(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (i != 0) {
                t = t.startsWith(prefix) ? t.substring(prefix.length()) : " " + t;
            }
            sb.append(cleanup ? cleanup(t) : t);
        }
        return sb.toString();
    }

    private static String cleanup(String s) {
        if (s.indexOf(' ') < 0) {
            return s;
        }
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }
}
