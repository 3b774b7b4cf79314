package io.github.bert4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-JVM pools of heavy objects (models, tokenizers) for Spark tasks: a task borrows an idle
 * instance for its key, or creates one when none is idle, and returns it when done. So an executor
 * loads a model once per concurrently running task slot and reuses it for every later task and
 * row, never once per row; the eager engine's buffers are not shared between threads.
 */
final class ExecutorPool {

    private static final Map<String, ConcurrentLinkedQueue<Object>> IDLE = new ConcurrentHashMap<>();

    private ExecutorPool() {
    }

    /** Runs {@code work} with an instance for {@code key} (made by {@code create} if none is idle). */
    @SuppressWarnings("unchecked")
    static <T, R> R with(String key, Supplier<T> create, Function<T, R> work) {
        ConcurrentLinkedQueue<Object> q = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
        Object o = q.poll();
        T t = o != null ? (T) o : create.get();
        boolean ok = false;
        try {
            R r = work.apply(t);
            ok = true;
            return r;
        } finally {
            if (ok) {
                q.add(t);
            } else {
                close(t); // an instance that failed mid-use may be in any state
            }
        }
    }

    /** How many idle instances the pool holds for {@code key} (for tests). */
    static int idle(String key) {
        ConcurrentLinkedQueue<Object> q = IDLE.get(key);
        return q == null ? 0 : q.size();
    }

    /** Closes and drops every pooled instance whose key starts with {@code prefix}. */
    static void clear(String prefix) {
        IDLE.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(prefix)) {
                return false;
            }
            for (Object o = e.getValue().poll(); o != null; o = e.getValue().poll()) {
                close(o);
            }
            return true;
        });
    }

    private static void close(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the instance is dropped either way
            }
        }
    }
}
