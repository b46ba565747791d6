package io.sift.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One NAB application profile: the weights of its cost matrix ({@code config/profiles.json}). */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

    public static final String STANDARD = "standard";
    public static final String REWARD_LOW_FP = "reward_low_FP_rate";
    public static final String REWARD_LOW_FN = "reward_low_FN_rate";

    /** NAB v1.1's three profiles ({@code config/profiles.json}), for data sets that do not ship NAB's files. */
    public static final List<NabProfile> NAB_PROFILES = List.of(new NabProfile(STANDARD, 1.0, 0.11, 1.0),
            new NabProfile(REWARD_LOW_FP, 1.0, 0.22, 1.0), new NabProfile(REWARD_LOW_FN, 1.0, 0.11, 2.0));

    /** The profiles in the order of the file. */
    public static List<NabProfile> load(Path profilesJson) {
        try {
            JsonNode root = new ObjectMapper().readTree(profilesJson.toFile());
            List<NabProfile> profiles = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode costs = entry.getValue().path("CostMatrix");
                profiles.add(new NabProfile(entry.getKey(), weight(costs, "tpWeight"), weight(costs, "fpWeight"),
                        weight(costs, "fnWeight")));
            }
            return profiles;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read NAB profiles " + profilesJson, e);
        }
    }

    private static double weight(JsonNode costs, String name) {
        if (!costs.path(name).isNumber()) {
            throw new IllegalArgumentException("NAB profile lacks CostMatrix." + name);
        }
        return costs.path(name).asDouble();
    }
}
