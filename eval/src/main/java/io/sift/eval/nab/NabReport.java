package io.sift.eval.nab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** A detector's NAB evaluation: one result per profile, in the order of {@code config/profiles.json}. */
public record NabReport(String detector, List<NabProfileResult> profiles) {

    public NabProfileResult profile(String name) {
        return profiles.stream().filter(p -> p.profile().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no NAB profile " + name));
    }

    /** The normalised score under a profile. */
    public double score(String profileName) {
        return profile(profileName).score();
    }

    public void writeJson(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
