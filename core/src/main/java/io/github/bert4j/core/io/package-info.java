/**
 * Checkpoint file formats and crash-safe file replacement: the {@link
 * io.github.bert4j.core.io.SafeTensors safetensors} tensor container and {@link
 * io.github.bert4j.core.io.AtomicFiles atomic writes}.
 */
package io.github.bert4j.core.io;
