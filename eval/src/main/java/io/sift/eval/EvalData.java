package io.sift.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared evaluation data (NAB, Loghub, PetShop, ASD), which is read in place and never copied. */
public final class EvalData {

    /** System property set by the build for tests; {@code SIFT_DATA_DIR} is the environment equivalent. */
    public static final String PROPERTY = "sift.data.dir";

    private EvalData() {
    }

    /**
     * The data root: the {@code sift.data.dir} property when that folder exists, else {@code SIFT_DATA_DIR}, else
     * {@code ../shared/data} relative to the working directory.
     */
    public static Path root() {
        String property = System.getProperty(PROPERTY);
        String environment = System.getenv("SIFT_DATA_DIR");
        // The build always sets the property (to ../shared/data beside the checkout); an explicit SIFT_DATA_DIR wins
        // when that folder does not exist, e.g. a checkout somewhere else on a machine that has the data.
        if (property != null && !property.isBlank()
                && (Files.isDirectory(Path.of(property)) || environment == null || environment.isBlank())) {
            return Path.of(property).normalize();
        }
        return Path.of(environment == null || environment.isBlank() ? "../shared/data" : environment).normalize();
    }

    /** A data set's folder under the root, refused with a message saying where it was looked for when missing. */
    public static Path dataset(String name) {
        return require(root().resolve(name), name);
    }

    /** Checks that a data folder given on the command line (or found) exists. */
    public static Path require(Path folder, String name) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no " + name + " data at " + folder.toAbsolutePath()
                    + ": pass --data DIR, or set " + PROPERTY + " / SIFT_DATA_DIR to the folder holding " + name + "/");
        }
        return folder;
    }
}
