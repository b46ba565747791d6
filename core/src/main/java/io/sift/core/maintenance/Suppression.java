package io.sift.core.maintenance;

import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;

/** What the ITSM outputs (webhook, ServiceNow, PagerDuty) do with a suppressed incident version. */
public final class Suppression {

    private Suppression() {}

    /**
     * Whether the version goes to the ITSM tool: every version of an incident no maintenance window suppresses, and of a
     * suppressed one only resolutions, closures, acknowledgements and assignments (so a ticket opened before the window
     * still settles). A RELEASED version is not suppressed: it is the one that opens the ticket after the window.
     */
    public static boolean notifies(Incident incident) {
        if (incident.getSuppressedBy() == null) {
            return true;
        }
        IncidentStatus status = incident.getStatus();
        IncidentChange change = incident.getChange();
        return status == IncidentStatus.RESOLVED || status == IncidentStatus.CLOSED
                || change == IncidentChange.ACKNOWLEDGED || change == IncidentChange.ASSIGNED;
    }
}
