package io.sift.core.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookup structure over a state's templates, derived from them: templates by token count, and a bounded map from
 * masked lines already seen to the template they joined, so repeated line shapes skip the comparison.
 */
final class TemplateIndex {

    private final Map<Integer, List<MinedTemplate>> byLength = new HashMap<>();
    private final LinkedHashMap<String, MinedTemplate> seenShapes;

    TemplateIndex(List<MinedTemplate> templates, int maxShapes) {
        seenShapes = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MinedTemplate> eldest) {
                return size() > maxShapes;
            }
        };
        for (MinedTemplate template : templates) {
            add(template);
        }
    }

    List<MinedTemplate> sameLength(int length) {
        List<MinedTemplate> list = byLength.get(length);
        return list == null ? List.of() : list;
    }

    void add(MinedTemplate template) {
        byLength.computeIfAbsent(template.tokens.size(), k -> new ArrayList<>()).add(template);
    }

    void remove(MinedTemplate template) {
        List<MinedTemplate> list = byLength.get(template.tokens.size());
        if (list != null) {
            list.remove(template);
        }
        template.live = false;
    }

    MinedTemplate shape(String key) {
        MinedTemplate template = seenShapes.get(key);
        return template != null && template.live ? template : null;
    }

    void rememberShape(String key, MinedTemplate template) {
        seenShapes.put(key, template);
    }
}
