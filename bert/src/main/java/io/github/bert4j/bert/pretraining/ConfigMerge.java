package io.github.bert4j.bert.pretraining;

import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Deep merge of a user's config tree over a preset's, alias-aware: a user key replaces the preset's
 * value of the same property under any of its spellings ({@code hid_dim} replaces
 * {@code hidden_size}), so Jackson never sees one property twice. Aliases come from Jackson's own
 * introspection of the target record ({@code @JsonProperty}, {@code @JsonAlias}). Nested records
 * merge recursively; lists and scalars are replaced whole.
 */
final class ConfigMerge {

    private ConfigMerge() {
    }

    static JsonNode merge(ObjectMapper mapper, JsonNode preset, JsonNode user, Class<?> type) {
        return merge(mapper.getDeserializationConfig(), preset, user, mapper.constructType(type));
    }

    private static JsonNode merge(DeserializationConfig cfg, JsonNode preset, JsonNode user, JavaType type) {
        if (!(preset instanceof ObjectNode p) || !(user instanceof ObjectNode u) || type == null) {
            return user;
        }
        Map<String, String> canonical = new HashMap<>();
        Map<String, JavaType> types = new HashMap<>();
        BeanDescription desc = cfg.introspect(type);
        AnnotationIntrospector ai = cfg.getAnnotationIntrospector();
        for (BeanPropertyDefinition prop : desc.findProperties()) {
            canonical.put(prop.getName(), prop.getName());
            types.put(prop.getName(), prop.getPrimaryType());
            for (AnnotatedMember m : new AnnotatedMember[] {prop.getConstructorParameter(), prop.getField(), prop.getGetter()}) {
                List<PropertyName> aliases = m == null || ai == null ? null : ai.findPropertyAliases(m);
                if (aliases != null) {
                    for (PropertyName a : aliases) {
                        canonical.put(a.getSimpleName(), prop.getName());
                    }
                }
            }
        }
        ObjectNode out = p.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = u.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = canonical.getOrDefault(e.getKey(), e.getKey());
            JsonNode presetValue = null;
            for (Iterator<String> keys = out.fieldNames(); keys.hasNext(); ) {
                String k = keys.next();
                if (canonical.getOrDefault(k, k).equals(name)) {
                    presetValue = out.get(k);
                    keys.remove();
                }
            }
            out.set(e.getKey(), presetValue == null ? e.getValue() : merge(cfg, presetValue, e.getValue(), types.get(name)));
        }
        return out;
    }
}
