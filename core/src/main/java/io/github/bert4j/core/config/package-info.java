/**
 * Configuration: immutable records loaded from YAML or JSON by {@link io.github.bert4j.core.config.ConfigLoader},
 * validated in their compact constructors with {@link io.github.bert4j.core.config.Check}; every problem is a
 * {@link io.github.bert4j.core.config.ConfigException} naming the key path, what was expected, what was found and the file.
 */
package io.github.bert4j.core.config;
