package io.sift.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints Flink retains in a directory: {@code <dir>/<job id>/chk-<n>/_metadata}. A checkpoint without its
 * {@code _metadata} file was not completed (the process died while taking it) and is never chosen.
 */
public final class RetainedCheckpoints {

    private RetainedCheckpoints() {}

    /** The most recently completed checkpoint under {@code dir}, over all jobs that wrote there. */
    public static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            // Read each time once: a running job subsumes (deletes) older checkpoints while they are compared.
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::completed)
                    .map(checkpoint -> new Completed(checkpoint, completedAt(checkpoint)))
                    .filter(completed -> completed.at() != null)
                    .max(Comparator.comparing(Completed::at)
                            .thenComparing(completed -> number(completed.checkpoint())))
                    .map(Completed::checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the retained checkpoints in " + dir, e);
        }
    }

    private static Stream<Path> completed(Path jobDir) {
        try (Stream<Path> checkpoints = Files.list(jobDir)) {
            return checkpoints.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jobDir, e);
        }
    }

    private record Completed(Path checkpoint, FileTime at) {}

    /** When the checkpoint's metadata was written, or null when the checkpoint was deleted since it was listed. */
    private static FileTime completedAt(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
    }
}
