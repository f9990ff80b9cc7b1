package dev.reprise.model;

import java.util.List;

/**
 * The result of {@link Store#checkModel()}: the model is valid (else the check throws
 * {@link StoreException} naming every bad row), and this is the endpoint mix a model-mode replay
 * should send against the mix the weights ask for.
 *
 * @param endpoints one row per endpoint, by id
 * @param rebalanced whether the endpoint weights differ from the recorded shares, so that the
 *                   chains were re-balanced toward them at load
 */
public record ModelCheck(List<EndpointMix> endpoints, List<SegmentMix> segments, boolean rebalanced) {
    public ModelCheck {
        endpoints = List.copyOf(endpoints);
        segments = List.copyOf(segments);
    }

    /**
     * @param share         recorded share of requests
     * @param weight        the weight, normalized over all endpoints
     * @param expectedShare the share of requests the (re-balanced) chains are expected to send
     * @param reachable     false when the weight is positive but no path leads to the endpoint
     */
    public record EndpointMix(int id, String method, String template, double share, double weight,
                              double expectedShare, boolean reachable) {
    }

    /** One segment: its recorded share of sessions and its normalized weight. */
    public record SegmentMix(int id, String name, double share, double weight) {
    }

    /** Total variation distance between the expected mix and the weights: ½ Σ |expected − weight|. */
    public double totalVariationDistance() {
        return endpoints.stream().mapToDouble(e -> Math.abs(e.expectedShare() - e.weight())).sum() / 2;
    }

    /** Endpoints with a positive weight that no path reaches. */
    public List<EndpointMix> unreachable() {
        return endpoints.stream().filter(e -> !e.reachable()).toList();
    }
}
