package io.github.bert4j.examples;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Formats metric maps as a small aligned two-column text table for the console. */
final class MetricsTable {

    private MetricsTable() {
    }

    /** {@code title} then one {@code name  value} line per metric, sorted by name. */
    static String format(String title, Map<String, ? extends Number> metrics) {
        Map<String, ? extends Number> sorted = new TreeMap<>(metrics);
        int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder(title).append('\n');
        sorted.forEach((k, v) -> sb.append("  ").append(pad(k, width)).append("  ").append(value(v)).append('\n'));
        return sb.toString();
    }

    static String value(Number v) {
        if (v instanceof Double || v instanceof Float) {
            double d = v.doubleValue();
            return Math.abs(d) >= 1000 || d == Math.rint(d) && Math.abs(d) >= 100
                    ? String.format(Locale.ROOT, "%,.0f", d)
                    : String.format(Locale.ROOT, "%.4f", d);
        }
        return String.format(Locale.ROOT, "%,d", v.longValue());
    }

    static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
