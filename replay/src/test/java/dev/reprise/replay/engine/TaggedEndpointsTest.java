package dev.reprise.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Transition;
import dev.reprise.replay.ReplayOptions;
import dev.reprise.replay.TestModels;
import dev.reprise.replay.schedule.SessionModel;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which endpoints get their own latency entries in the .hlog. */
class TaggedEndpointsTest {
    private static int[] tagged(int endpointCount) {
        List<Endpoint> endpoints = new ArrayList<>();
        List<Transition> transitions = new ArrayList<>();
        double total = endpointCount * (endpointCount + 1) / 2.0;
        for (int i = 0; i < endpointCount; i++) {
            // endpoint id i+1 has weight proportional to (i % 2 == 0 ? i : endpointCount - i): an unsorted order
            int rank = i % 2 == 0 ? i + 1 : endpointCount - i;
            double w = rank / total;
            endpoints.add(new Endpoint(i + 1, "GET", "/e" + (i + 1), 1, w, w, List.of()));
            transitions.add(new Transition(0, i + 1, 1, w, w));
            transitions.add(new Transition(i + 1, -1, 1, 1, 1));
        }
        WorkloadModel model = TestModels.model(endpoints, transitions, 0, new long[] {1});
        EnginePlan plan = new EnginePlan(SessionModel.of(model), ReplayOptions.defaults(URI.create("http://127.0.0.1:1")),
                0, 1, 1, 1, 1, 0, null, null);
        return Engine.taggedEndpointIds(plan);
    }

    @Test
    void everyEndpointOfASmallModelIsTaggedWithItsId() {
        int[] ids = tagged(30);
        for (int e = 0; e < 30; e++) {
            assertThat(ids[e]).isEqualTo(e + 1);
        }
    }

    @Test
    void aLargeModelTagsItsHundredEndpointsOfLargestWeight() {
        int n = 250;
        int[] ids = tagged(n);
        assertThat(Arrays.stream(ids).filter(id -> id >= 0).count()).isEqualTo(HistogramLog.MAX_TAGGED_ENDPOINTS);
        for (int e = 0; e < n; e++) {
            int rank = e % 2 == 0 ? e + 1 : n - e;
            // weights rank 1..250: the 100 largest are ranks 151..250
            assertThat(ids[e] >= 0).as("endpoint " + (e + 1) + " of weight rank " + rank).isEqualTo(rank > 150);
        }
    }
}
