package io.sift.eval.faults;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload (service) a Kubernetes pod belongs to, from the pod name alone, as the Kubernetes naming rules make
 * it: a Deployment's pods are {@code <deployment>-<pod-template-hash>-<5 characters>}, a StatefulSet's
 * {@code <name>-<ordinal>}. What an OpenTelemetry k8s attributes processor would put in {@code k8s.deployment.name}.
 */
public final class KubernetesNames {

    private static final Pattern DEPLOYMENT_POD = Pattern.compile("(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}");
    private static final Pattern STATEFUL_SET_POD = Pattern.compile("(.+)-\\d+");

    private KubernetesNames() {
    }

    public static String workloadOf(String pod) {
        Matcher deployment = DEPLOYMENT_POD.matcher(pod);
        if (deployment.matches()) {
            return deployment.group(1);
        }
        Matcher statefulSet = STATEFUL_SET_POD.matcher(pod);
        return statefulSet.matches() ? statefulSet.group(1) : pod;
    }
}
