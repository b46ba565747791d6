package io.sift.core.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * One template of a service: constant words and {@link LogMasker#WILDCARD} variables. A plain mutable POJO so that
 * Flink holds it in keyed state with its POJO serializer.
 */
public class MinedTemplate {
    /** Stable id derived from the template text: equal in every parallel instance and after a restore. */
    public String id;
    /** The template's tokens; consecutive variables are one wildcard. */
    public List<String> tokens = new ArrayList<>();
    /**
     * Per token, how many variables in a row a wildcard stood for in every line so far (1 for other tokens, 0 when it
     * varied): {@code Fan speeds ( <*> <*> <*> )} keeps its three values apart in {@link #text()}.
     */
    public List<Integer> runs = new ArrayList<>();
    /** Lines that matched. */
    public long count;
    /** The miner's line counter when a line last matched: the least recently used template is evicted first. */
    public long lastUsed;
    /** Event time (epoch millis) of the first and latest matching line. */
    public long firstSeen;
    public long lastSeen;

    /** False once evicted: lookups that still reach it through a stale index entry skip it. */
    transient boolean live = true;
    /** The template that took this one over when it generalised to cover it (in this run only). */
    transient MinedTemplate absorbedBy;
    /** Creation order within the state's index: ties between templates are broken in it. */
    transient long sequence;
    /** Neighbours in the index's least-recently-used list, and whether it is on that list. */
    transient MinedTemplate lessRecent;
    transient MinedTemplate moreRecent;
    transient boolean inRecency;

    public MinedTemplate() {}

    /** This template or, when another absorbed it, the one that did (as far as this process has seen). */
    public MinedTemplate current() {
        MinedTemplate template = this;
        while (template.absorbedBy != null) {
            template = template.absorbedBy;
        }
        return template;
    }

    /** The template as text: tokens joined by single spaces, runs of variables of constant length spelled out. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            int run = i < runs.size() && token.equals(LogMasker.WILDCARD) ? Math.max(1, runs.get(i)) : 1;
            for (int r = 0; r < run; r++) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(token);
            }
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return id + " x" + count + " " + text();
    }
}
