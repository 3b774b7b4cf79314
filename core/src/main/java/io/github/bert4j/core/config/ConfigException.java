package io.github.bert4j.core.config;

import java.util.Collection;
import java.util.Objects;

/**
 * A configuration problem: a value that fails validation, a value of the wrong type, an unknown
 * or missing key, or an unreadable file. Unchecked, immutable.
 *
 * <p>The message always names the key path (dotted, e.g. {@code train.lr}; list elements as
 * {@code [i]}), what was expected, what was found, and where — the source file and, when known,
 * the line:
 * <pre>
 * train.lr must be > 0, got -1.0 (pretrain.yaml)
 * train.batch_size: expected an integer, got "abc" (pretrain.yaml, line 7)
 * unknown key train.lrr (pretrain.yaml, line 9); known keys: batch_size, epochs, lr
 * missing key model.hid_dim (pretrain.yaml)
 * </pre>
 *
 * <p>Records throw it (through {@link Check}) with the key relative to themselves; whoever knows
 * more context adds it with {@link #withPath(String)} (section prefix) and {@link #withSource(String)}
 * (file name) — {@link ConfigLoader} does both.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of problem this is; selects the message shape. */
    public enum Kind {
        /** The value has the right type but breaks a constraint: {@code key must be <expected>, got <actual>}. */
        INVALID_VALUE,
        /** The value has the wrong type: {@code key: expected <type>, got <actual>}. */
        WRONG_TYPE,
        /** A key the target type does not know: {@code unknown key key; known keys: ...}. */
        UNKNOWN_KEY,
        /** A required key is absent: {@code missing key key}. */
        MISSING_KEY,
        /** Anything else (syntax error, unreadable file): {@code [key: ]detail}. */
        OTHER
    }

    private final Kind kind;
    private final String key;
    private final String detail;
    private final String source;
    private final int line;

    private ConfigException(Kind kind, String key, String detail, String source, int line, Throwable cause) {
        super(null, cause);
        this.kind = Objects.requireNonNull(kind);
        this.key = key == null ? "" : key;
        this.detail = detail == null ? "" : detail;
        this.source = source;
        this.line = line;
    }

    /** {@code key must be <expected>, got <actual>}; {@code actual} is rendered with {@link #render(Object)}. */
    public static ConfigException invalid(String key, String expected, Object actual) {
        return new ConfigException(Kind.INVALID_VALUE, key, "must be " + expected + ", got " + render(actual), null, -1, null);
    }

    /** {@code key: expected <expectedType>, got <actual>}. */
    public static ConfigException wrongType(String key, String expectedType, String renderedActual) {
        return new ConfigException(Kind.WRONG_TYPE, key, "expected " + expectedType + ", got " + renderedActual, null, -1, null);
    }

    /** {@code unknown key <key>; known keys: a, b, c}. */
    public static ConfigException unknownKey(String key, Collection<String> knownKeys) {
        String known = knownKeys == null || knownKeys.isEmpty() ? "" : "known keys: " + String.join(", ", knownKeys);
        String nearest = knownKeys == null ? null : nearest(key.substring(key.lastIndexOf('.') + 1), knownKeys);
        if (nearest != null) {
            known = "did you mean " + nearest + "? " + known;
        }
        return new ConfigException(Kind.UNKNOWN_KEY, key, known, null, -1, null);
    }

    /**
     * The known key closest to {@code name} by edit distance (case-insensitive), if it is close
     * enough to be a typo: at most 2 edits, and fewer than a third of the longer name's length.
     */
    static String nearest(String name, Collection<String> knownKeys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : knownKeys) {
            int d = editDistance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance == 0) {
            return null;
        }
        int longer = Math.max(name.length(), best.length());
        return bestDistance <= 2 && bestDistance * 3 < longer ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code missing key <key>}. */
    public static ConfigException missing(String key) {
        return new ConfigException(Kind.MISSING_KEY, key, "", null, -1, null);
    }

    /** Any other problem, e.g. a syntax error; {@code key} may be empty. */
    public static ConfigException other(String key, String detail, Throwable cause) {
        return new ConfigException(Kind.OTHER, key, detail, null, -1, cause);
    }

    /** The full key path, e.g. {@code train.lr}; empty when the problem concerns the whole document. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** The part of the message after the key, e.g. {@code must be > 0, got -1.0}. */
    public String detail() {
        return detail;
    }

    /** The source (usually a file name), or {@code null} if not known. */
    public String source() {
        return source;
    }

    /** The 1-based line in the source, or -1 if not known. */
    public int line() {
        return line;
    }

    /**
     * A copy whose key is {@code prefix + "." + key} (or {@code prefix + key} when the key is a list
     * index such as {@code [2]}, or {@code prefix} alone when the key is empty).
     */
    public ConfigException withPath(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        String k = key.isEmpty() ? prefix : key.startsWith("[") ? prefix + key : prefix + "." + key;
        return copy(k, source, line);
    }

    /** A copy naming the source (e.g. the file name {@code pretrain.yaml}). */
    public ConfigException withSource(String sourceName) {
        return copy(key, sourceName, line);
    }

    /** A copy naming the 1-based line of the problem in the source. */
    public ConfigException withLine(int lineNumber) {
        return copy(key, source, lineNumber);
    }

    private ConfigException copy(String k, String src, int ln) {
        ConfigException e = new ConfigException(kind, k, detail, src, ln, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        switch (kind) {
            case INVALID_VALUE -> sb.append(key.isEmpty() ? "value" : key).append(' ').append(detail);
            case WRONG_TYPE -> sb.append(key.isEmpty() ? "document" : key).append(": ").append(detail);
            case UNKNOWN_KEY -> sb.append("unknown key ").append(key);
            case MISSING_KEY -> sb.append("missing key ").append(key);
            case OTHER -> {
                if (!key.isEmpty()) {
                    sb.append(key).append(": ");
                }
                sb.append(detail);
            }
        }
        if (source != null || line > 0) {
            sb.append(" (");
            if (source != null) {
                sb.append(source);
            }
            if (line > 0) {
                sb.append(source != null ? ", " : "").append("line ").append(line);
            }
            sb.append(')');
        }
        if (kind == Kind.UNKNOWN_KEY && !detail.isEmpty()) {
            sb.append("; ").append(detail);
        }
        return sb.toString();
    }

    /**
     * How a found value is shown in messages: strings in double quotes, {@code null} as null, numbers
     * and booleans as Java prints them, collections with their elements rendered.
     */
    public static String render(Object actual) {
        if (actual == null) {
            return "null";
        }
        if (actual instanceof CharSequence s) {
            return '"' + s.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (actual instanceof Enum<?> e) {
            return e.name();
        }
        if (actual instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : c) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(render(o));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(actual);
    }
}
