package io.sift.core.logs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Lookup structure over a state's templates, derived from them (never serialized, rebuilt after a restore):
 * <ul>
 *   <li>a bounded map from masked lines already seen to the template they joined, so repeated line shapes skip the
 *       comparison;
 *   <li>templates by token count, in creation order (the order the miner breaks ties in);
 *   <li>per token count, once that group is large and consulted again, an inverted index by (position, constant
 *       word), so the templates a line could match, widen or differ from in one place are found from two posting
 *       lists rather than by comparing the line with every template of its length;
 *   <li>templates in least recently used order, so the one to evict is found without a scan.
 * </ul>
 * The index only narrows the templates the miner compares a line with, to a superset of those that can qualify, in
 * the same order; the comparisons themselves decide, so the templates mined are those of a full scan.
 */
final class TemplateIndex {

    /**
     * Groups of at most this many templates are scanned: cheaper than posting lists for the few templates of most
     * token counts, and no index memory for them.
     */
    static final int SCAN_LIMIT = 32;
    /**
     * Lookups in a group before its posting lists are built: a state read afresh for every line (a RocksDB backend
     * deserializes it each time) then never pays for building an index it would use once.
     */
    static final int LOOKUPS_BEFORE_POSTINGS = 2;

    private static final String WILDCARD = LogMasker.WILDCARD;
    private static final Comparator<MinedTemplate> CREATION_ORDER = Comparator.comparingLong(t -> t.sequence);

    private final Map<Integer, Group> byLength = new HashMap<>();
    private final LinkedHashMap<String, MinedTemplate> seenShapes;
    private long nextSequence;

    /** Least recently used first; valid while {@link #recencyOrdered}. */
    private MinedTemplate leastRecent;
    private MinedTemplate mostRecent;
    /**
     * Whether the recency list is in (lastUsed, creation) order, which is what eviction picks by. A line always marks
     * its template with the highest line count so far, so this holds unless a restored state carried odd counters;
     * then eviction scans instead.
     */
    private boolean recencyOrdered = true;

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
        List<MinedTemplate> byRecency = new ArrayList<>(templates);
        byRecency.sort(Comparator.<MinedTemplate>comparingLong(t -> t.lastUsed).thenComparing(CREATION_ORDER));
        for (MinedTemplate template : byRecency) {
            appendRecent(template);
        }
    }

    /**
     * In creation order, templates of the line's token count that include every template that a line with these
     * tokens could match, widen, or differ from in one place while sharing a constant word.
     */
    Collection<MinedTemplate> candidates(List<String> tokens) {
        Group group = byLength.get(tokens.size());
        if (group == null) {
            return List.of();
        }
        if (!group.indexed() && !group.shouldIndex()) {
            return group.templates;
        }
        // A qualifying template admits the line's word at every place where the line has a constant word, except
        // at most one: so it is among the templates admitting the word at any two such places (the posting list of
        // the word there and the templates with a variable there). The two smallest such lists are read.
        int first = -1;
        int second = -1;
        int firstSize = Integer.MAX_VALUE;
        int secondSize = Integer.MAX_VALUE;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!isConstant(token)) {
                continue;
            }
            int size = group.admitting(i, token);
            if (size < firstSize) {
                second = first;
                secondSize = firstSize;
                first = i;
                firstSize = size;
            } else if (size < secondSize) {
                second = i;
                secondSize = size;
            }
            if (secondSize == 0) {
                return List.of();
            }
        }
        if (first < 0) {
            return group.templates; // no constant word: any template might match
        }
        List<MinedTemplate> found = new ArrayList<>(firstSize + (second < 0 ? 0 : secondSize));
        group.collectAdmitting(first, tokens.get(first), found);
        if (second >= 0) {
            group.collectAdmitting(second, tokens.get(second), found);
        }
        return inCreationOrder(found);
    }

    /**
     * In creation order, templates of the general template's token count that include every template it covers:
     * those that hold its constant word at its place with the fewest templates.
     */
    Collection<MinedTemplate> coverCandidates(List<String> general) {
        Group group = byLength.get(general.size());
        if (group == null) {
            return List.of();
        }
        if (!group.indexed()) {
            return group.templates;
        }
        List<MinedTemplate> smallest = null;
        for (int i = 0; i < general.size(); i++) {
            String token = general.get(i);
            if (isConstant(token)) {
                List<MinedTemplate> posting = group.posting(i, token);
                if (posting == null) {
                    return List.of();
                }
                if (smallest == null || posting.size() < smallest.size()) {
                    smallest = posting;
                }
            }
        }
        return smallest == null ? group.templates : inCreationOrder(new ArrayList<>(smallest));
    }

    void add(MinedTemplate template) {
        template.sequence = nextSequence++;
        byLength.computeIfAbsent(template.tokens.size(), k -> new Group(k)).add(template);
    }

    void remove(MinedTemplate template) {
        Group group = byLength.get(template.tokens.size());
        if (group != null) {
            group.remove(template);
        }
        unlinkRecent(template);
        template.live = false;
    }

    /** Before a template's tokens change in place (it is generalised): takes it out of the posting lists. */
    void beforeRetokenise(MinedTemplate template) {
        Group group = byLength.get(template.tokens.size());
        if (group != null && group.indexed()) {
            group.unpost(template);
        }
    }

    /** After a template's tokens changed in place: files it under its new words, keeping its place in order. */
    void afterRetokenise(MinedTemplate template) {
        Group group = byLength.get(template.tokens.size());
        if (group != null && group.indexed()) {
            group.post(template);
        }
    }

    /** A line just matched the template (its {@code lastUsed} is the line count): it is now the most recent. */
    void touched(MinedTemplate template) {
        if (template.inRecency) {
            unlinkRecent(template);
        }
        MinedTemplate previous = mostRecent;
        appendRecent(template);
        if (previous != null && (template.lastUsed < previous.lastUsed
                || template.lastUsed == previous.lastUsed && template.sequence < previous.sequence)) {
            recencyOrdered = false;
        }
    }

    /** The template to evict: the least recently used one (the first created among equals); null to scan. */
    MinedTemplate leastRecentlyUsed() {
        return recencyOrdered ? leastRecent : null;
    }

    MinedTemplate shape(String key) {
        MinedTemplate template = seenShapes.get(key);
        return template != null && template.live ? template : null;
    }

    void rememberShape(String key, MinedTemplate template) {
        seenShapes.put(key, template);
    }

    private void appendRecent(MinedTemplate template) {
        template.lessRecent = mostRecent;
        template.moreRecent = null;
        if (mostRecent == null) {
            leastRecent = template;
        } else {
            mostRecent.moreRecent = template;
        }
        mostRecent = template;
        template.inRecency = true;
    }

    private void unlinkRecent(MinedTemplate template) {
        if (!template.inRecency) {
            return;
        }
        if (template.lessRecent == null) {
            leastRecent = template.moreRecent;
        } else {
            template.lessRecent.moreRecent = template.moreRecent;
        }
        if (template.moreRecent == null) {
            mostRecent = template.lessRecent;
        } else {
            template.moreRecent.lessRecent = template.lessRecent;
        }
        template.lessRecent = null;
        template.moreRecent = null;
        template.inRecency = false;
    }

    /** Sorts by creation and drops duplicates (a template may be on both lists read). */
    private static List<MinedTemplate> inCreationOrder(List<MinedTemplate> found) {
        if (found.size() < 2) {
            return found;
        }
        found.sort(CREATION_ORDER);
        int kept = 1;
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i) != found.get(kept - 1)) {
                found.set(kept++, found.get(i));
            }
        }
        return kept == found.size() ? found : found.subList(0, kept);
    }

    static boolean isConstant(String token) {
        return !token.contains(WILDCARD);
    }

    /** The templates of one token count, and their posting lists once built. */
    private static final class Group {
        private final int length;
        /** Creation order; removal in constant time. */
        final LinkedHashSet<MinedTemplate> templates = new LinkedHashSet<>();
        /** Per place, constant word to the templates holding it there; null until built. */
        private Map<String, List<MinedTemplate>>[] constants;
        /** Per place, the templates with a variable (or partly variable word) there. */
        private List<MinedTemplate>[] variables;
        private int lookups;

        Group(int length) {
            this.length = length;
        }

        boolean indexed() {
            return constants != null;
        }

        /** Counts a lookup; builds the posting lists when the group is large and consulted again. */
        @SuppressWarnings("unchecked")
        boolean shouldIndex() {
            if (templates.size() <= SCAN_LIMIT || ++lookups < LOOKUPS_BEFORE_POSTINGS) {
                return false;
            }
            constants = new Map[length];
            variables = new List[length];
            for (int i = 0; i < length; i++) {
                constants[i] = new HashMap<>();
                variables[i] = new ArrayList<>();
            }
            for (MinedTemplate template : templates) {
                post(template);
            }
            return true;
        }

        void add(MinedTemplate template) {
            templates.add(template);
            if (indexed()) {
                post(template);
            }
        }

        void remove(MinedTemplate template) {
            if (templates.remove(template) && indexed()) {
                unpost(template);
            }
        }

        void post(MinedTemplate template) {
            for (int i = 0; i < length; i++) {
                String token = template.tokens.get(i);
                if (isConstant(token)) {
                    constants[i].computeIfAbsent(token, k -> new ArrayList<>(2)).add(template);
                } else {
                    variables[i].add(template);
                }
            }
        }

        void unpost(MinedTemplate template) {
            for (int i = 0; i < length; i++) {
                String token = template.tokens.get(i);
                if (isConstant(token)) {
                    List<MinedTemplate> posting = constants[i].get(token);
                    if (posting != null && removeIdentical(posting, template) && posting.isEmpty()) {
                        constants[i].remove(token);
                    }
                } else {
                    removeIdentical(variables[i], template);
                }
            }
        }

        List<MinedTemplate> posting(int position, String token) {
            return constants[position].get(token);
        }

        /** How many templates admit the constant word at this place: those holding it, and those variable there. */
        int admitting(int position, String token) {
            List<MinedTemplate> posting = constants[position].get(token);
            return (posting == null ? 0 : posting.size()) + variables[position].size();
        }

        void collectAdmitting(int position, String token, List<MinedTemplate> into) {
            List<MinedTemplate> posting = constants[position].get(token);
            if (posting != null) {
                into.addAll(posting);
            }
            into.addAll(variables[position]);
        }

        private static boolean removeIdentical(List<MinedTemplate> list, MinedTemplate template) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == template) {
                    list.remove(i);
                    return true;
                }
            }
            return false;
        }
    }
}
