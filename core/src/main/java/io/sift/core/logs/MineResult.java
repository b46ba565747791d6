package io.sift.core.logs;

/**
 * What mining one line did.
 *
 * @param template   the template the line belongs to (live object of the state: copy what you keep)
 * @param outcome    whether the template is new, was matched as is, or was generalised by this line
 * @param previousId the template's id before this line generalised it, else null
 * @param evictedId  id of a template evicted to make room for a new one, else null
 * @param variantOf  for a new template that differs from a known one in a single word ("Retrying call to pricing"
 *                   after "Retrying call to cart"), the known one's id: a new value more than a new event; else null
 */
public record MineResult(MinedTemplate template, Outcome outcome, String previousId, String evictedId,
        String variantOf) {

    /** How the line related to the templates known before it. */
    public enum Outcome {
        /** No template fitted: the line started a new one. */
        NEW,
        /** An existing template fitted unchanged. */
        MATCHED,
        /** An existing template fitted after some of its words became variables (its id changed). */
        GENERALISED
    }

    public boolean isNew() {
        return outcome == Outcome.NEW;
    }

    /** A new template that is not a one-word variant of a known one: a kind of line never seen before. */
    public boolean isNovel() {
        return outcome == Outcome.NEW && variantOf == null;
    }
}
