package io.sift.scenario;

/**
 * One running instance (pod) of a service on a host.
 *
 * @param service  service id
 * @param instance instance id, Kubernetes pod style, e.g. "checkout-6f9c7d8b54-x2k4q"
 * @param host     host id the instance runs on
 */
public record ServiceInstance(String service, String instance, String host) {
}
