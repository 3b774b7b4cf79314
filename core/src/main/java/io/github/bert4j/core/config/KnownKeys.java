package io.github.bert4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the first unknown key in a parsed config tree <em>before</em> binding. Jackson reports
 * unknown properties of a record only after its constructor ran, so a misspelled required key
 * ({@code lrr} for {@code lr}) would otherwise surface as a validation error of the missing one.
 * Walks records/beans (following lists, arrays and maps to their element types) using Jackson's own
 * introspection, so naming strategy, {@code @JsonProperty} and {@code @JsonAlias} all count.
 */
final class KnownKeys {

    private KnownKeys() {
    }

    /** Throws {@link ConfigException} (kind UNKNOWN_KEY, with the line if {@code text} is given) for the first unknown key. */
    static void check(ObjectMapper mapper, JsonNode tree, JavaType type, String text) {
        Unknown u = find(mapper.getDeserializationConfig(), tree, type, JsonPointer.empty(), "");
        if (u != null) {
            ConfigException e = ConfigException.unknownKey(u.key, new ArrayList<>(u.known));
            int line = text == null ? -1 : lineOf(mapper, text, u.pointer);
            throw line > 0 ? e.withLine(line) : e;
        }
    }

    private record Unknown(JsonPointer pointer, String key, Set<String> known) {
    }

    private static Unknown find(DeserializationConfig cfg, JsonNode node, JavaType type, JsonPointer at, String key) {
        if (node == null || type == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type.isArrayType() || type.isCollectionLikeType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    Unknown r = find(cfg, node.get(i), type.getContentType(), at.appendIndex(i), key + "[" + i + "]");
                    if (r != null) {
                        return r;
                    }
                }
            }
            return null;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    Unknown r = find(cfg, f.getValue(), type.getContentType(), at.appendProperty(f.getKey()), join(key, f.getKey()));
                    if (r != null) {
                        return r;
                    }
                }
            }
            return null;
        }
        if (!node.isObject() || !isPlainBean(type)) {
            return null;
        }
        BeanDescription desc = cfg.introspect(type);
        if (desc.findAnySetterAccessor() != null) {
            return null;
        }
        JsonIgnoreProperties ignore = type.getRawClass().getAnnotation(JsonIgnoreProperties.class);
        if (ignore != null && ignore.ignoreUnknown()) {
            return null;
        }
        Set<String> ignored = ignore == null ? Set.of() : Set.of(ignore.value());
        AnnotationIntrospector ai = cfg.getAnnotationIntrospector();
        Map<String, JavaType> byName = new LinkedHashMap<>();
        Set<String> primaryNames = new TreeSet<>();
        for (BeanPropertyDefinition p : desc.findProperties()) {
            if (!p.couldDeserialize() && p.getConstructorParameter() == null) {
                continue;
            }
            JavaType pt = p.getPrimaryType();
            primaryNames.add(p.getName());
            byName.put(p.getName(), pt);
            for (AnnotatedMember m : members(p)) {
                List<PropertyName> aliases = ai == null ? null : ai.findPropertyAliases(m);
                if (aliases != null) {
                    for (PropertyName a : aliases) {
                        byName.put(a.getSimpleName(), pt);
                    }
                }
            }
        }
        if (byName.isEmpty()) {
            return null; // not introspectable as a bean (delegating creator, scalar wrapper...): Jackson decides
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (ignored.contains(f.getKey())) {
                continue;
            }
            JsonPointer child = at.appendProperty(f.getKey());
            JavaType pt = byName.get(f.getKey());
            if (pt == null) {
                return new Unknown(child, join(key, f.getKey()), primaryNames);
            }
            Unknown r = find(cfg, f.getValue(), pt, child, join(key, f.getKey()));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static String join(String key, String name) {
        return key.isEmpty() ? name : key + "." + name;
    }

    private static List<AnnotatedMember> members(BeanPropertyDefinition p) {
        List<AnnotatedMember> out = new ArrayList<>(4);
        if (p.getConstructorParameter() != null) {
            out.add(p.getConstructorParameter());
        }
        if (p.getField() != null) {
            out.add(p.getField());
        }
        if (p.getGetter() != null) {
            out.add(p.getGetter());
        }
        if (p.getSetter() != null) {
            out.add(p.getSetter());
        }
        return out;
    }

    private static boolean isPlainBean(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (type.isPrimitive() || type.isEnumType() || raw.isInterface() || raw.getName().startsWith("java.")
                || JsonNode.class.isAssignableFrom(raw) || type.isContainerType()) {
            return false;
        }
        return !java.lang.reflect.Modifier.isAbstract(raw.getModifiers());
    }

    /** 1-based line of the key at {@code pointer} in {@code text}, or -1. */
    static int lineOf(ObjectMapper mapper, String text, JsonPointer pointer) {
        try (JsonParser p = mapper.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().equals(pointer)) {
                    return p.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
