package io.github.bert4j.core.tracking;

/**
 * One logged metric value.
 *
 * @param step      training step (x axis)
 * @param timestamp wall-clock time in milliseconds since the epoch
 * @param value     the value (may be NaN or infinite)
 */
public record MetricPoint(long step, long timestamp, double value) {
}
