package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.replay.LiveStatus;
import dev.reprise.replay.ReplayListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Issue 5 live view: one rewritten status line on a terminal, silence in pipes and CI. */
class LiveStatusLineTest {
    private static final LiveStatus FIRST = new LiveStatus(3, 60, 4_980, 5_000, 37, 12.5, 14_900, 3, 0);
    private static final LiveStatus SECOND = new LiveStatus(4, 60, 5_010, 5_000, 2, 1.25, 19_910, 3, 0);

    @Test
    void onATerminalOneLineShowsElapsedRateInFlightP99AndErrorsAndIsRewrittenInPlace() {
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(err, true), true);
        ReplayListener live = ReplayReport.liveView(terminal);

        live.onInterval(FIRST);
        String first = err.toString();
        live.onInterval(SECOND);
        String both = err.toString();
        terminal.clearStatus();

        assertThat(first).startsWith("\r").doesNotContain("\n")
                .contains("3s/60s").contains("in flight 37").contains("p99 12.5").contains("errors 3").contains("dropped 0");
        assertThat(first).containsPattern("sent 4[,.]?980.* of 5[,.]?000.* target");
        String second = both.substring(first.length());
        // rewritten in place: a carriage return, no new line, padded over the longer previous line
        assertThat(second).startsWith("\r").doesNotContain("\n").contains("in flight 2 ");
        assertThat(second.length()).isGreaterThanOrEqualTo(first.length());
        assertThat(err.toString()).endsWith("\r").doesNotContain("\n");
    }

    @Test
    void inPipesAndCiNothingIsWritten() {
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(err, true), false);
        ReplayReport.liveView(terminal).onInterval(FIRST);
        terminal.status("anything");
        terminal.clearStatus();
        assertThat(err.toString()).isEmpty();
    }
}
