package io.github.bert4j.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Small file helpers for tests: temporary directories that delete themselves, recursive delete,
 * and a listing of a tree as sorted relative paths (handy to assert a directory layout).
 *
 * <p>Prefer JUnit's {@code @TempDir} where it fits; use {@link #create(String)} in try-with-resources
 * elsewhere.
 */
public final class TempDirs {

    private TempDirs() {
    }

    /** A temporary directory deleted (recursively) on {@link Handle#close()}. */
    public static Handle create(String prefix) {
        try {
            return new Handle(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything below it; no-op if it does not exist. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file and directory under {@code dir}, as sorted '/'-separated relative paths (directories end in '/'). */
    public static java.util.List<String> tree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary directory owned by a try-with-resources block. */
    public record Handle(Path path) implements AutoCloseable {
        public Path resolve(String other) {
            return path.resolve(other);
        }

        @Override
        public void close() {
            deleteRecursively(path);
        }
    }
}
