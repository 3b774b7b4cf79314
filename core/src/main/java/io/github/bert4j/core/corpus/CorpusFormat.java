package io.github.bert4j.core.corpus;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How to read a corpus file, written as a short spec (the CLI's {@code --format}):
 * <pre>
 * text[,split]                                    one sentence per line; blank line or [EOD] ends a document
 *                                                 (split: also run the splitter on each line)
 * jsonl:FIELD[,id=ID_FIELD][,nosplit]             one JSON object per line = one document, text in FIELD,
 *                                                 split into sentences (nosplit: the text is one sentence)
 * tsv:COL[,id=COL][,group=COL][,header][,split]   tab-separated, text in column COL (0-based); one row =
 *                                                 one document of one sentence, or rows grouped by a column
 * </pre>
 * Examples: {@code text}, {@code jsonl:content} (petitions), {@code tsv:1} (KLUE raw sentences,
 * {@code <id>\t<sentence>}), {@code tsv:1,id=0}. {@link #toString()} gives the spec back.
 */
public sealed interface CorpusFormat permits CorpusFormat.PlainText, CorpusFormat.JsonLines, CorpusFormat.Tsv {

    /** Opens a streaming reader over {@code file}. */
    CorpusReader open(Path file, SentenceSplitter splitter);

    /** Parses a spec such as {@code jsonl:content}; {@link IllegalArgumentException} explains a bad one. */
    static CorpusFormat parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String[] parts = spec.strip().split(",");
        String head = parts[0].strip();
        String kind = head;
        String arg = null;
        int colon = head.indexOf(':');
        if (colon >= 0) {
            kind = head.substring(0, colon).strip();
            arg = head.substring(colon + 1).strip();
        }
        Options o = new Options(spec, parts);
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "text", "txt" -> {
                if (arg != null) {
                    throw bad(spec, "text takes no argument");
                }
                CorpusFormat f = new PlainText(o.flag("split"));
                o.done();
                return f;
            }
            case "jsonl", "json" -> {
                if (arg == null || arg.isEmpty()) {
                    throw bad(spec, "jsonl needs the text field, e.g. jsonl:content");
                }
                CorpusFormat f = new JsonLines(arg, o.value("id"), !o.flag("nosplit"));
                o.done();
                return f;
            }
            case "tsv" -> {
                if (arg == null || arg.isEmpty()) {
                    throw bad(spec, "tsv needs the text column (0-based), e.g. tsv:1");
                }
                int col = o.column("text column", arg);
                String id = o.value("id");
                String group = o.value("group");
                CorpusFormat f = new Tsv(col, id == null ? -1 : o.column("id", id), group == null ? -1 : o.column("group", group),
                        o.flag("header"), o.flag("split"));
                o.done();
                return f;
            }
            default -> throw bad(spec, "unknown format '" + kind + "'");
        }
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("invalid corpus format '" + spec + "': " + why
                + "; expected text[,split] | jsonl:FIELD[,id=FIELD][,nosplit] | tsv:COL[,id=COL][,group=COL][,header][,split]");
    }

    /** Plain text, one sentence per line; {@code split} also runs the splitter on each line. */
    record PlainText(boolean split) implements CorpusFormat {
        @Override
        public CorpusReader open(Path file, SentenceSplitter splitter) {
            return new PlainTextReader(file, split ? splitter : null);
        }

        @Override
        public String toString() {
            return split ? "text,split" : "text";
        }
    }

    /** JSON lines with the text in {@code field}; {@code idField} may be null. */
    record JsonLines(String field, String idField, boolean split) implements CorpusFormat {
        public JsonLines {
            Objects.requireNonNull(field, "field");
        }

        @Override
        public CorpusReader open(Path file, SentenceSplitter splitter) {
            return new JsonLinesReader(file, field, idField, split ? splitter : null);
        }

        @Override
        public String toString() {
            return "jsonl:" + field + (idField == null ? "" : ",id=" + idField) + (split ? "" : ",nosplit");
        }
    }

    /** TSV with the text in column {@code column}; {@code idColumn}/{@code groupColumn} are -1 when unused. */
    record Tsv(int column, int idColumn, int groupColumn, boolean header, boolean split) implements CorpusFormat {
        public Tsv {
            if (column < 0) {
                throw new IllegalArgumentException("tsv text column must be >= 0, got " + column);
            }
        }

        @Override
        public CorpusReader open(Path file, SentenceSplitter splitter) {
            return new TsvReader(file, column, idColumn, groupColumn, header, split ? splitter : null);
        }

        @Override
        public String toString() {
            return "tsv:" + column + (idColumn >= 0 ? ",id=" + idColumn : "") + (groupColumn >= 0 ? ",group=" + groupColumn : "")
                    + (header ? ",header" : "") + (split ? ",split" : "");
        }
    }

    /** Parses the {@code ,key[=value]} options of a spec and rejects unused ones. */
    final class Options {
        private final String spec;
        private final java.util.Map<String, String> opts = new java.util.LinkedHashMap<>();

        private Options(String spec, String[] parts) {
            this.spec = spec;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String k = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                String v = eq < 0 ? "" : p.substring(eq + 1).strip();
                if (opts.put(k, v) != null) {
                    throw bad(spec, "option '" + k + "' given twice");
                }
            }
        }

        private boolean flag(String name) {
            String v = opts.remove(name);
            if (v != null && !v.isEmpty()) {
                throw bad(spec, "option '" + name + "' takes no value");
            }
            return v != null;
        }

        private String value(String name) {
            String v = opts.remove(name);
            if (v != null && v.isEmpty()) {
                throw bad(spec, "option '" + name + "' needs a value, e.g. " + name + "=0");
            }
            return v;
        }

        private int column(String what, String v) {
            try {
                int c = Integer.parseInt(v);
                if (c >= 0) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
            throw bad(spec, what + " must be a column number >= 0, got '" + v + "'");
        }

        private void done() {
            if (!opts.isEmpty()) {
                throw bad(spec, "unknown option(s) " + opts.keySet());
            }
        }
    }
}
