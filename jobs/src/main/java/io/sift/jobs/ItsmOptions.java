package io.sift.jobs;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of problem management, change outcomes, ITSM feedback and incident metrics. */
public final class ItsmOptions {

    private ItsmOptions() {}

    public static final ConfigOption<String> TOPIC_PROBLEMS = ConfigOptions.key("sift.kafka.topic.problems")
            .stringType().defaultValue("sift.problems")
            .withDescription("Topic the problem candidates are written to (one record per version, keyed by problem "
                    + "id; compact it), for the ITSM tool's problem management.");
    public static final ConfigOption<String> TOPIC_ITSM_FEEDBACK = ConfigOptions.key("sift.kafka.topic.itsm-feedback")
            .stringType().defaultValue("sift.itsm.feedback")
            .withDescription("Topic of ItsmUpdate records from the ITSM tool (acknowledged, assigned, resolved, "
                    + "closed, reopened, with the Sift incident id as correlation id); they update the incidents.");

    public static final ConfigOption<Duration> SETTLED_MEMORY = ConfigOptions.key("sift.itsm.settled-memory")
            .durationType().defaultValue(Duration.ofDays(14))
            .withDescription("How long after its last resolved or closed version an incident still takes ITSM "
                    + "feedback once Sift no longer correlates it (after the reopen cool-down): a ticket acknowledged, "
                    + "resolved or closed days after the fault ended gives a new incident version instead of an "
                    + "UNKNOWN_INCIDENT dead letter. The last version of each such incident is kept this long (a few "
                    + "KB each); 0 s keeps none.");

    public static final ConfigOption<Integer> PROBLEMS_MIN_INCIDENTS = ConfigOptions.key("sift.problems.min-incidents")
            .intType().defaultValue(3)
            .withDescription("Incidents with the same root-cause fingerprint (environment, root-cause item, anomaly "
                    + "signature) that make a problem candidate when they occur within sift.problems.window.");
    public static final ConfigOption<Duration> PROBLEMS_WINDOW = ConfigOptions.key("sift.problems.window")
            .durationType().defaultValue(Duration.ofDays(7))
            .withDescription("Period within which sift.problems.min-incidents recurrences make a problem candidate; "
                    + "a fingerprint's state is dropped this long after its last incident.");

    public static final ConfigOption<Duration> CHANGE_OUTCOME_GRACE = ConfigOptions.key("sift.changes.outcome-grace")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("How long a change is kept after its outcome was decided (its time plus "
                    + "sift.correlate.change-lookback plus sift.correlate.gap): an incident version naming it in a "
                    + "root-cause hint within this grace still makes it implicated, also after it was found clean; "
                    + "later namings are counted (changeNamingsUnmatched) and not applied.");
}
