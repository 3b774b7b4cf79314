package io.github.bert4j.core.config;

import java.util.Collection;
import java.util.Objects;

/**
 * Validation helpers for the compact constructors of configuration records. Each method returns
 * the value it checked (so {@code lr = Check.positive("lr", lr);} reads naturally) or throws a
 * {@link ConfigException} of kind {@link ConfigException.Kind#INVALID_VALUE} carrying {@code key}
 * (relative to the record; {@link ConfigLoader} prefixes the section path and appends the file).
 *
 * <pre>{@code
 * record Train(double lr, int batchSize, double maskRatio) {
 *     Train {
 *         Check.positive("lr", lr);                 // lr must be > 0, got -1.0
 *         Check.positive("batch_size", batchSize);  // batch_size must be > 0, got 0
 *         Check.range("mask_ratio", maskRatio, 0, 1); // mask_ratio must be in [0.0, 1.0], got 1.5
 *     }
 * }
 * }</pre>
 * NaN never passes a numeric check.
 */
public final class Check {

    private Check() {
    }

    /** {@code v > 0} (and not NaN). */
    public static double positive(String key, double v) {
        if (!(v > 0)) {
            throw ConfigException.invalid(key, "> 0", v);
        }
        return v;
    }

    /** {@code v > 0}. */
    public static long positive(String key, long v) {
        if (v <= 0) {
            throw ConfigException.invalid(key, "> 0", v);
        }
        return v;
    }

    /** {@code v > 0}. */
    public static int positive(String key, int v) {
        if (v <= 0) {
            throw ConfigException.invalid(key, "> 0", v);
        }
        return v;
    }

    /** {@code v >= 0} (and not NaN). */
    public static double nonNegative(String key, double v) {
        if (!(v >= 0)) {
            throw ConfigException.invalid(key, ">= 0", v);
        }
        return v;
    }

    /** {@code v >= 0}. */
    public static long nonNegative(String key, long v) {
        if (v < 0) {
            throw ConfigException.invalid(key, ">= 0", v);
        }
        return v;
    }

    /** {@code v >= 0}. */
    public static int nonNegative(String key, int v) {
        if (v < 0) {
            throw ConfigException.invalid(key, ">= 0", v);
        }
        return v;
    }

    /** {@code lo <= v <= hi} (inclusive both ends; NaN fails). */
    public static double range(String key, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw ConfigException.invalid(key, "in [" + lo + ", " + hi + "]", v);
        }
        return v;
    }

    /** A finite double (not NaN or infinite). */
    public static double finite(String key, double v) {
        if (!Double.isFinite(v)) {
            throw ConfigException.invalid(key, "a finite number", v);
        }
        return v;
    }

    /**
     * The general form: fails with {@code key must be <expected>, got <actual>} unless {@code ok}.
     * Example: {@code Check.that(hid % heads == 0, "hid_dim", "divisible by n_heads (" + heads + ")", hid)}.
     */
    public static void that(boolean ok, String key, String expected, Object actual) {
        if (!ok) {
            throw ConfigException.invalid(key, expected, actual);
        }
    }

    /** Not null. */
    public static <T> T notNull(String key, T v) {
        if (v == null) {
            throw ConfigException.invalid(key, "set", null);
        }
        return v;
    }

    /** Not null, not empty and not only whitespace. */
    public static String notBlank(String key, String v) {
        if (v == null || v.isBlank()) {
            throw ConfigException.invalid(key, "a non-blank string", v);
        }
        return v;
    }

    /** One of {@code allowed} (exact, case-sensitive match). */
    public static String oneOf(String key, String v, Collection<String> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        if (v == null || !allowed.contains(v)) {
            throw ConfigException.invalid(key, "one of " + allowed, v);
        }
        return v;
    }
}
