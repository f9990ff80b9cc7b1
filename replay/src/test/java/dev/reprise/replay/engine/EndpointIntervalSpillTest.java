package dev.reprise.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.model.RunRecord.EndpointInterval;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-endpoint interval rows of a run go to a temporary file and come back exactly, in order. */
class EndpointIntervalSpillTest {

    @Test
    void rowsComeBackFromTheFileInOrderWithNaNsAndExtremes() {
        EndpointIntervalSpill spill = new EndpointIntervalSpill();
        List<EndpointInterval> written = new ArrayList<>();
        for (int second = 1; second <= 300; second++) {
            for (int endpoint = 0; endpoint < 100; endpoint++) {
                boolean idle = (second + endpoint) % 7 == 0;
                EndpointInterval row = new EndpointInterval(second + 0.001 * endpoint, 1000 + endpoint,
                        second * 3L + endpoint, idle ? 0 : second * 2L, endpoint == 99 ? Long.MAX_VALUE : 0,
                        idle ? Double.NaN : 0.125 * second, idle ? Double.NaN : 1.5 * endpoint,
                        idle ? Double.NaN : 2.25, idle ? Double.NaN : Double.MAX_VALUE);
                spill.add(row);
                written.add(row);
            }
        }

        List<EndpointInterval> rows = spill.rows();

        assertThat(rows).hasSize(30_000);
        assertThat(rows).containsExactlyElementsOf(written); // the iterator: one sequential pass
        assertThat(rows.get(0)).isEqualTo(written.get(0));
        assertThat(rows.get(12_345)).isEqualTo(written.get(12_345));
        assertThat(rows.get(29_999)).isEqualTo(written.get(29_999));
        assertThatThrownBy(() -> rows.get(30_000)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> rows.add(written.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aViewTakenEarlierKeepsItsSizeWhileTheRunGoesOn() {
        EndpointIntervalSpill spill = new EndpointIntervalSpill();
        EndpointInterval first = new EndpointInterval(1, 7, 10, 9, 1, 1.0, 2.0, 3.0, 4.0);
        spill.add(first);
        List<EndpointInterval> early = spill.rows();
        spill.add(new EndpointInterval(2, 7, 10, 10, 0, 1.0, 2.0, 3.0, 4.0));

        assertThat(early).containsExactly(first);
        assertThat(spill.rows()).hasSize(2);
    }
}
