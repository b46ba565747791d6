package io.sift.scenario;

import io.sift.schema.Criticality;
import io.sift.schema.ItemType;

import java.util.Map;

/**
 * A configuration item of the generated estate.
 *
 * @param id          stable id; metrics and logs name it in Resource.service (and hosts also in Resource.host)
 * @param type        SERVICE, HOST, DATABASE, CACHE or QUEUE
 * @param criticality business criticality
 * @param tier        "edge", "mid", "backend" for services, "data" for datastores, "infra" for hosts
 * @param attributes  CMDB attributes (team, tier, language / engine, zone, ...)
 */
public record EstateItem(String id, ItemType type, Criticality criticality, String tier, Map<String, String> attributes) {
    public EstateItem {
        attributes = Map.copyOf(attributes);
    }
}
