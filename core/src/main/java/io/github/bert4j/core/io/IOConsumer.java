package io.github.bert4j.core.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, e.g. the body that writes a file. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
