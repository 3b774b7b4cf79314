package io.github.bert4j.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads immutable configuration records (any record or Jackson-bindable type) from YAML or JSON.
 *
 * <p>Rules, the same for every type:
 * <ul>
 *   <li>Property names are snake_case by default: a record component {@code batchSize} is the key
 *       {@code batch_size}; {@code @JsonProperty} overrides a name and {@code @JsonAlias} adds
 *       alternative spellings (e.g. the reference project's {@code n_epochs}).</li>
 *   <li>Unknown keys and duplicate keys are errors; floats are never silently truncated to
 *       integers; {@code null} is not accepted for primitives; enums match case-insensitively.
 *       Keys that are absent get Java's default (0/false/null) — records that want defaults use
 *       boxed components and fill them in the compact constructor.</li>
 *   <li>Validation lives in the records' compact constructors ({@link Check}); the loader
 *       prefixes the key path of the section the record sits in and appends the file name.</li>
 *   <li>Every failure is a {@link ConfigException}, e.g.
 *       {@code train.lr must be > 0, got -1.0 (pretrain.yaml)},
 *       {@code train.batch_size: expected an integer, got "abc" (pretrain.yaml, line 7)},
 *       {@code unknown key train.lrr (pretrain.yaml, line 9); known keys: ...}.</li>
 * </ul>
 * Thread-safe; all methods are static.
 */
public final class ConfigLoader {

    /** The two supported syntaxes. YAML is a superset of JSON, so JSON text also loads as YAML. */
    public enum Format {
        YAML, JSON;

        /** By file extension: {@code .yaml}/{@code .yml} or {@code .json} (case-insensitive). */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return YAML;
            }
            if (name.endsWith(".json")) {
                return JSON;
            }
            throw ConfigException.other("", "unsupported config file extension, expected .yaml, .yml or .json", null)
                    .withSource(file.getFileName().toString());
        }
    }

    private static final ObjectMapper YAML_MAPPER = configure(YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()));
    private static final ObjectMapper JSON_MAPPER = configure(JsonMapper.builder());

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");

    private ConfigLoader() {
    }

    private static ObjectMapper configure(com.fasterxml.jackson.databind.cfg.MapperBuilder<?, ?> b) {
        return b.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** A copy of the mapper used for {@code format} (snake_case, strict), for callers that bind other types alike. */
    public static ObjectMapper mapper(Format format) {
        return (format == Format.YAML ? YAML_MAPPER : JSON_MAPPER).copy();
    }

    /**
     * Reads {@code file} (format by extension) into {@code type}.
     *
     * @throws ConfigException for every problem, including a missing or unreadable file
     */
    public static <T> T load(Path file, Class<T> type) {
        return parse(readText(file), Format.of(file), type, file.getFileName().toString());
    }

    /**
     * The UTF-8 text of a config file, for callers that pre-process it (e.g. merge it over a
     * preset) before {@link #parse}.
     *
     * @throws ConfigException naming the file when it is missing or unreadable
     */
    public static String readText(Path file) {
        String name = file.getFileName().toString();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.other("", "config file not found: " + file, e).withSource(name);
        } catch (IOException e) {
            throw ConfigException.other("", "cannot read config file " + file + ": " + e, e).withSource(name);
        }
    }

    /**
     * Parses {@code text} in {@code format} into {@code type}; {@code sourceName} (e.g. a file name)
     * is appended to error messages and may be {@code null}.
     */
    public static <T> T parse(String text, Format format, Class<T> type, String sourceName) {
        ObjectMapper mapper = format == Format.YAML ? YAML_MAPPER : JSON_MAPPER;
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw translate(e, null).withSource(sourceName);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw ConfigException.other("", "empty config, expected a mapping of keys to values", null).withSource(sourceName);
        }
        try {
            KnownKeys.check(mapper, tree, mapper.constructType(type), text);
            return mapper.readValue(text, type);
        } catch (ConfigException e) {
            throw e.withSource(sourceName);
        } catch (JsonProcessingException e) {
            throw translate(e, tree).withSource(sourceName);
        }
    }

    /**
     * Binds an already parsed tree (e.g. one section of a larger file, or a tree with command-line
     * overrides applied) to {@code type}. Key paths in errors are relative to the tree.
     */
    public static <T> T convert(JsonNode tree, Class<T> type, String sourceName) {
        return convert(tree, type, sourceName, null);
    }

    /**
     * As {@link #convert(JsonNode, Class, String)} for a tree parsed from {@code text} (then
     * edited, e.g. defaults added): an unknown key's error gives its line in {@code text}.
     */
    public static <T> T convert(JsonNode tree, Class<T> type, String sourceName, String text) {
        try {
            KnownKeys.check(YAML_MAPPER, tree, YAML_MAPPER.constructType(type), text);
            return YAML_MAPPER.treeToValue(tree, type);
        } catch (ConfigException e) {
            throw e.withSource(sourceName);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable t = e instanceof IllegalArgumentException && e.getCause() instanceof JsonProcessingException c ? c : e;
            if (t instanceof JsonProcessingException jpe) {
                throw translate(jpe, tree).withSource(sourceName);
            }
            throw ConfigException.other("", String.valueOf(e.getMessage()), e).withSource(sourceName);
        }
    }

    /** Serializes {@code config} as YAML with the same naming rules (round-trips through {@link #parse}). */
    public static String toYaml(Object config) {
        try {
            return YAML_MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + config.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Serializes {@code config} as indented JSON with the same naming rules. */
    public static String toJson(Object config) {
        try {
            return JSON_MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + config.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code config} to {@code file}, YAML or JSON by extension. */
    public static void save(Path file, Object config) throws IOException {
        String text = Format.of(file) == Format.YAML ? toYaml(config) : toJson(config);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- error translation

    static ConfigException translate(JsonProcessingException e, JsonNode tree) {
        int line = lineOf(e.getLocation());
        // a ConfigException thrown by a compact constructor (via Check), wrapped by Jackson
        ConfigException fromRecord = findConfigException(e);
        if (fromRecord != null) {
            String p = path(e);
            String k = fromRecord.key();
            // a value-level creator (e.g. an enum's @JsonCreator) names its own key, which Jackson's path already ends with
            if (!k.isEmpty() && (p.equals(k) || p.endsWith("." + k))) {
                p = p.substring(0, Math.max(0, p.length() - k.length() - 1));
            }
            return fromRecord.withPath(p);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>(new TreeSet<>(stringsOf(u.getKnownPropertyIds())));
            return ConfigException.unknownKey(path(u), known).withLine(line);
        }
        if (e instanceof InvalidFormatException f) {
            String found = describeFound(tree, f);
            return ConfigException.wrongType(path(f), describeType(f.getTargetType()),
                    found != null ? found : ConfigException.render(f.getValue())).withLine(line);
        }
        if (e instanceof MismatchedInputException m) {
            String key = path(m);
            Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(m.getOriginalMessage()));
            if (missing.find()) {
                String k = key.isEmpty() ? missing.group(1) : key + "." + missing.group(1);
                return ConfigException.missing(k);
            }
            if (tree != null && !key.isEmpty() && tree.at(pointer(m)).isMissingNode()) {
                return ConfigException.missing(key);
            }
            if (m.getTargetType() != null) {
                String found = describeFound(tree, m);
                return ConfigException.wrongType(key, describeType(m.getTargetType()),
                        found != null ? found : "a value of another type").withLine(line);
            }
            return ConfigException.other(key, firstLine(m.getOriginalMessage()), e).withLine(line);
        }
        if (e instanceof JsonMappingException m) {
            Throwable cause = m.getCause();
            String what = cause != null && cause != m && cause.getMessage() != null ? cause.getMessage() : m.getOriginalMessage();
            return ConfigException.other(path(m), firstLine(what), e).withLine(line);
        }
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
                return ConfigException.other("", yamlSyntaxError(y), null).withLine(y.getProblemMark().getLine() + 1);
            }
        }
        return ConfigException.other("", "syntax error: " + firstLine(e.getOriginalMessage()), e).withLine(line);
    }

    /**
     * {@code syntax error: expected ',' or ']', but got : at column 6 (while parsing a flow
     * sequence that starts on line 3, column 8)}: SnakeYAML's problem and context, once, without
     * its excerpts (the line comes with the file name).
     */
    static String yamlSyntaxError(org.yaml.snakeyaml.error.MarkedYAMLException y) {
        StringBuilder sb = new StringBuilder("syntax error: ")
                .append(y.getProblem() != null ? y.getProblem().strip() : "invalid YAML")
                .append(" at column ").append(y.getProblemMark().getColumn() + 1);
        if (y.getContext() != null) {
            sb.append(" (").append(y.getContext().strip());
            if (y.getContextMark() != null) {
                sb.append(" that starts on line ").append(y.getContextMark().getLine() + 1)
                        .append(", column ").append(y.getContextMark().getColumn() + 1);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static ConfigException findConfigException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Dotted key path of a Jackson exception: {@code train.lr}, {@code layers[2].size}. */
    static String path(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonPointer pointer(JsonMappingException m) {
        JsonPointer p = JsonPointer.empty();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                p = p.appendProperty(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                p = p.appendIndex(r.getIndex());
            }
        }
        return p;
    }

    /** The value found at the exception's path, rendered for a message; {@code null} if not in the tree. */
    private static String describeFound(JsonNode tree, JsonMappingException m) {
        if (tree == null) {
            return null;
        }
        JsonNode n = tree.at(pointer(m));
        if (n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return ConfigException.render(n.textValue());
        }
        return n.asText();
    }

    /** "an integer", "a number", "a boolean", "a string", "one of [A, B]", "a list", "a mapping". */
    static String describeType(Class<?> t) {
        if (t == null) {
            return "a value";
        }
        if (t == int.class || t == long.class || t == short.class || t == byte.class || t == Integer.class
                || t == Long.class || t == Short.class || t == Byte.class || t == java.math.BigInteger.class) {
            return "an integer";
        }
        if (t == double.class || t == float.class || t == Double.class || t == Float.class
                || t == java.math.BigDecimal.class || t == Number.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "a boolean (true or false)";
        }
        if (t == String.class || t == char.class || t == Character.class) {
            return "a string";
        }
        if (t.isEnum()) {
            return "one of " + Arrays.toString(t.getEnumConstants());
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        return "a mapping";
    }

    private static List<String> stringsOf(Collection<Object> ids) {
        List<String> out = new ArrayList<>();
        if (ids != null) {
            for (Object o : ids) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }

    private static int lineOf(JsonLocation loc) {
        return loc == null || loc == JsonLocation.NA ? -1 : loc.getLineNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid config";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
