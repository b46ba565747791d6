package io.sift.scenario;

import io.sift.schema.EdgeType;

/**
 * A directed relation as in the topology: {@code from} calls / depends on / runs on {@code to}. Faults propagate
 * from {@code to} to {@code from}.
 */
public record EstateEdge(String from, String to, EdgeType type) {
}
