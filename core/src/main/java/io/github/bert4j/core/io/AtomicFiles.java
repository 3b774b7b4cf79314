package io.github.bert4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Crash-safe file and directory replacement. A reader of {@code target} sees either the complete
 * old content or the complete new content, never a mix, even if the process dies (or the machine
 * loses power) half-way: content goes to a temporary file in the same directory, is flushed to
 * disk ({@code fsync}), then renamed over the target atomically, and the directory entry is
 * flushed too.
 *
 * <p>Whole directories (a model directory, a checkpoint) are written with {@link #writeDirectory}:
 * staged in the sibling {@code .<name>.staging}, flushed, then swapped in by renames that {@link
 * #recoverDirectory} completes or undoes after a crash. Files and directories are created with the
 * default permissions, so the user's umask applies (no owner-only temporary files).
 */
public final class AtomicFiles {
    private static final System.Logger LOG = System.getLogger(AtomicFiles.class.getName());
    private static final String OLD_SUFFIX = ".old";
    private static final String STAGING_SUFFIX = ".staging";
    private static final String COMPLETE_SUFFIX = ".complete";
    /** Temporary files of {@link #writeChannel}: {@code .<name>.<hex>.tmp} (also the JDK's decimal {@code createTempFile} names of older versions). */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{1,20}\\.tmp");

    private AtomicFiles() {}

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code target} atomically with {@code body} (which must not close the stream). */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        writeChannel(target, ch -> {
            OutputStream out = Channels.newOutputStream(ch);
            body.accept(out);
            out.flush();
        });
    }

    /** Writes {@code target} atomically with {@code body} given a channel on the temporary file. */
    public static void writeChannel(Path target, IOConsumer<FileChannel> body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createTemporary(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.accept(ch);
                ch.force(true);
            }
            move(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes directory {@code target} as one atomic step: {@code contents} fills a fresh staging
     * directory {@code .<name>.staging} beside it; every file in it is flushed, a marker {@code
     * .<name>.complete} written, {@code target} renamed to {@code target.old}, staging to {@code
     * target}, and {@code target.old} and the marker deleted. An existing {@code target} is replaced whole; a reader sees the
     * complete old or the complete new directory, and a crash at any point leaves a state that
     * {@link #recoverDirectory} (called here first, and by readers) turns into one of the two.
     */
    public static void writeDirectory(Path target, IOConsumer<Path> contents) throws IOException {
        writeDirectory(target, name -> false, contents);
    }

    /**
     * As {@link #writeDirectory(Path, IOConsumer)}, but entries of the existing {@code target} whose
     * names {@code carryOver} accepts, and that the new content does not have, are moved (renamed)
     * into the new directory before the swap, e.g. a checkpoint folder kept inside a model
     * directory. A crash after those moves is rolled forward by {@link #recoverDirectory}, so they
     * are never lost.
     */
    public static void writeDirectory(Path target, Predicate<String> carryOver, IOConsumer<Path> contents)
            throws IOException {
        recoverDirectory(target);
        Path staging = sibling(target, STAGING_SUFFIX);
        deleteTree(staging);
        Files.createDirectories(staging.getParent());
        Files.createDirectory(staging);
        try {
            contents.accept(staging);
            syncTree(staging);
        } catch (IOException | RuntimeException | Error e) {
            try {
                deleteTree(staging);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        List<String> carried = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                for (Path p : entries) {
                    String name = p.getFileName().toString();
                    if (carryOver.test(name) && !Files.exists(staging.resolve(name))) carried.add(name);
                }
            }
        }
        // the marker names what is carried over, so that a roll-forward after a crash moves the same entries
        Path complete = sibling(target, COMPLETE_SUFFIX);
        byte[] names = String.join("\n", carried).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(complete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(names));
            ch.force(true);
        }
        syncDirectory(target.toAbsolutePath().getParent());
        commit(target, staging, carried);
    }

    /**
     * Repairs the state an interrupted {@link #writeDirectory} can
     * leave, and removes their leftovers: a complete staging directory (its {@code
     * .<name>.complete} marker exists) is swapped in (rolled forward), an incomplete one deleted;
     * then if {@code target} is missing but {@code target.old} exists, the old directory is put
     * back, and if both exist, the replacement completed and {@code target.old} is deleted. Call
     * before reading {@code target}.
     *
     * @return whether {@code target} exists afterwards
     */
    public static boolean recoverDirectory(Path target) throws IOException {
        Path staging = sibling(target, STAGING_SUFFIX);
        Path complete = sibling(target, COMPLETE_SUFFIX);
        if (Files.exists(complete)) {
            if (Files.isDirectory(staging)) {
                LOG.log(System.Logger.Level.WARNING, "completing the interrupted replacement of {0}", target);
                String names = Files.readString(complete, StandardCharsets.UTF_8);
                commit(target, staging, names.isEmpty() ? List.of() : List.of(names.split("\n")));
            }
            Files.deleteIfExists(complete);
        } else if (Files.exists(staging)) {
            LOG.log(System.Logger.Level.INFO, "removing {0} (an interrupted write)", staging);
            deleteTree(staging);
        }
        Path old = sibling(target, OLD_SUFFIX);
        if (Files.exists(old)) {
            if (Files.exists(target)) {
                deleteTree(old);
            } else {
                LOG.log(System.Logger.Level.WARNING, "restoring {0} from {1} (interrupted replacement)", target, old);
                move(old, target);
            }
        }
        return Files.exists(target);
    }

    /**
     * Deletes the temporary files an interrupted {@link #write} left directly in {@code dir} (names
     * {@code .<file>.<random>.tmp}); returns how many. A no-op if {@code dir} does not exist.
     */
    public static int deleteTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    LOG.log(System.Logger.Level.INFO, "removing {0} (an interrupted write)", p);
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** Moves the {@code carried} entries of {@code target} into staging, swaps, and removes the marker last. */
    private static void commit(Path target, Path staging, List<String> carried) throws IOException {
        if (Files.isDirectory(target)) {
            for (String name : carried) {
                Path p = target.resolve(name);
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.exists(staging.resolve(name))) {
                    move(p, staging.resolve(name));
                }
            }
            syncDirectory(staging);
            deleteTree(sibling(target, OLD_SUFFIX)); // stale: target exists, so a previous swap finished
        }
        swap(staging, target);
        Files.deleteIfExists(sibling(target, COMPLETE_SUFFIX));
    }

    private static void swap(Path staging, Path target) throws IOException {
        Path old = sibling(target, OLD_SUFFIX);
        if (Files.exists(target)) move(target, old);
        move(staging, target);
        syncDirectory(target.toAbsolutePath().getParent());
        deleteTree(old);
    }

    /**
     * Deletes directory {@code target} so that a crash half-way cannot leave a partial one: it is
     * first renamed to its (incomplete) staging name, which {@link #recoverDirectory} removes.
     */
    public static void deleteDirectory(Path target) throws IOException {
        recoverDirectory(target);
        if (!Files.exists(target)) return;
        Path staging = sibling(target, STAGING_SUFFIX);
        move(target, staging);
        syncDirectory(target.toAbsolutePath().getParent());
        deleteTree(staging);
    }

    /** Deletes a file or a directory tree if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Path sibling(Path target, String suffix) {
        String name = target.getFileName().toString();
        return target.resolveSibling(suffix.equals(OLD_SUFFIX) ? name + suffix : "." + name + suffix);
    }

    /** A new empty file {@code .<name>.<hex>.tmp} in {@code dir}, with default (umask) permissions. */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (different file systems?)", e);
        }
    }

    private static void syncTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    syncDirectory(p);
                }
            }
        }
    }

    /** Flushes a directory's entries (renames, creations); a no-op where the OS does not allow it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.TRACE, "cannot fsync directory {0}: {1}", dir, e);
        }
    }
}
