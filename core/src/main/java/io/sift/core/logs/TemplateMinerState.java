package io.sift.core.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the miner remembers about one service. A plain mutable POJO (Flink keyed state, POJO serializer); the
 * lookup index is derived from the templates and rebuilt after a restore, so it is never serialized.
 */
public class TemplateMinerState {
    /** Live templates, at most {@link MinerConfig#maxTemplates()}. */
    public List<MinedTemplate> templates = new ArrayList<>();
    /** Lines mined so far. */
    public long lines;
    /** Templates created so far (including evicted ones). */
    public long created;
    /** Templates evicted to respect the memory cap. */
    public long evictions;

    transient TemplateIndex index;

    public TemplateMinerState() {}
}
