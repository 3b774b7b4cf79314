package io.github.bert4j.tokenizer;

/**
 * One encoding as one line of JSON, the {@code bert4j tokenize} output format:
 * {@code {"ids":[...],"tokens":[...],"offsets":[[s,e],...],"type_ids":[...]}} (offsets: UTF-16
 * indices into the input; special tokens [0,0]).
 */
public final class EncodingJson {
    private EncodingJson() {
    }

    /** The JSON object, without a trailing newline. */
    public static String write(Encoding e) {
        StringBuilder sb = new StringBuilder(e.length() * 24 + 64);
        sb.append("{\"ids\":[");
        for (int i = 0; i < e.length(); i++) {
            sb.append(i == 0 ? "" : ",").append(e.ids()[i]);
        }
        sb.append("],\"tokens\":[");
        for (int i = 0; i < e.length(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(e.tokens()[i], sb);
        }
        sb.append("],\"offsets\":[");
        for (int i = 0; i < e.length(); i++) {
            sb.append(i == 0 ? "[" : ",[").append(e.starts()[i]).append(',').append(e.ends()[i]).append(']');
        }
        sb.append("],\"type_ids\":[");
        for (int i = 0; i < e.length(); i++) {
            sb.append(i == 0 ? "" : ",").append(e.typeIds()[i]);
        }
        return sb.append("]}").toString();
    }

    /** Encodes one input line: a TAB separates a pair (first TAB only). */
    public static Encoding encodeLine(Tokenizer tokenizer, String line) {
        int tab = line.indexOf('\t');
        return tab < 0 ? tokenizer.encode(line) : tokenizer.encodePair(line.substring(0, tab), line.substring(tab + 1));
    }

    /**
     * Appends {@code s} as a JSON string literal (RFC 8259): quotes, backslashes and control
     * characters escaped, lone surrogates written as {@code \\uXXXX} so the output stays valid UTF-8.
     */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validPair(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
