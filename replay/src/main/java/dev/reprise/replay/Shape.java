package dev.reprise.replay;

import dev.reprise.replay.schedule.RateProfile;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load shaping overlaid on the rate ({@code --shape} or a scenario's {@code stages} and {@code spikes}):
 * a sequence of stages that set a level (a factor of the rate) over replay time, and spikes that
 * multiply the level for a while. Compact syntax, items separated by commas:
 *
 * <pre>
 * ramp 0->x2 over 5m        level from x0 to x2 (of --rate) over 5 minutes
 * ramp x1 over 2m           from the current level to x1
 * hold 10m                  keep the current level for 10 minutes
 * hold x1.5 for 10m         jump to x1.5 and keep it
 * spike x5 at 6m for 2m     five times the level from 6 to 8 minutes into the run
 * spike x5 at 14:00 for 2m  ... from the moment the replay reaches 14:00 (UTC) of the recording
 * </pre>
 *
 * The level starts at x1 and stays at the last stage's end level after the stages. Stages run one
 * after the other from the start of the run; spikes are independent of them (overlapping spikes
 * multiply). Without {@code --duration}, a run with stages lasts as long as its stages.
 *
 * @param stages in order
 * @param spikes in any order
 */
public record Shape(List<Stage> stages, List<Spike> spikes) {
    /** No shaping. */
    public static final Shape NONE = new Shape(List.of(), List.of());

    private static final String LEVEL = "x?([0-9]+(?:\\.[0-9]+)?)";
    private static final String SPAN = "([0-9][0-9.a-z]*)";
    private static final Pattern RAMP = Pattern.compile("ramp\\s+(?:" + LEVEL + "\\s*->\\s*)?" + LEVEL + "\\s+over\\s+" + SPAN);
    private static final Pattern HOLD = Pattern.compile("hold\\s+(?:" + LEVEL + "\\s+for\\s+)?" + SPAN);
    private static final Pattern SPIKE = Pattern.compile("spike\\s+" + LEVEL + "\\s+at\\s+([0-9][0-9.:a-z]*)\\s+for\\s+" + SPAN);

    /**
     * A stage: the level goes linearly from {@code from} (NaN = where the previous stage ended) to
     * {@code to} over {@code length}; a hold has {@code to} NaN (keep the level) or a level to jump to.
     */
    public record Stage(String kind, double from, double to, Duration length) {
        @Override
        public String toString() {
            String span = Durations.format(length);
            if (kind.equals("hold")) {
                return Double.isNaN(to) ? "hold " + span : "hold x" + trim(to) + " for " + span;
            }
            return "ramp " + (Double.isNaN(from) ? "" : "x" + trim(from) + "->") + "x" + trim(to) + " over " + span;
        }
    }

    /**
     * A spike: the level times {@code factor} for {@code length}, starting {@code at} after the run start,
     * or (when {@code atTimeOfDay} is set) when the replay reaches that UTC time of day of the recording.
     */
    public record Spike(double factor, Duration at, LocalTime atTimeOfDay, Duration length) {
        @Override
        public String toString() {
            return "spike x" + trim(factor) + " at " + (atTimeOfDay != null ? atTimeOfDay.toString()
                    : Durations.format(at)) + " for " + Durations.format(length);
        }
    }

    public Shape {
        stages = List.copyOf(stages);
        spikes = List.copyOf(spikes);
    }

    /** Parses the compact syntax above; an empty text is {@link #NONE}. */
    public static Shape parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Spike> spikes = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            Object parsed = parseItem(item);
            if (parsed instanceof Stage stage) {
                stages.add(stage);
            } else {
                spikes.add((Spike) parsed);
            }
        }
        return new Shape(stages, spikes);
    }

    /** One item of the compact syntax: a {@link Stage} or a {@link Spike}. */
    public static Object parseItem(String item) {
        String t = item.strip().toLowerCase(Locale.ROOT);
        try {
            Matcher m = RAMP.matcher(t);
            if (m.matches()) {
                return new Stage("ramp", m.group(1) == null ? Double.NaN : level(m.group(1)), level(m.group(2)),
                        span(m.group(3)));
            }
            m = HOLD.matcher(t);
            if (m.matches()) {
                return new Stage("hold", Double.NaN, m.group(1) == null ? Double.NaN : level(m.group(1)),
                        span(m.group(2)));
            }
            m = SPIKE.matcher(t);
            if (m.matches()) {
                String at = m.group(2);
                Duration length = span(m.group(3));
                if (at.contains(":")) {
                    return new Spike(level(m.group(1)), null, LocalTime.parse(at.length() == 4 ? "0" + at : at), length);
                }
                return new Spike(level(m.group(1)), Durations.parse(at), null, length);
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new ReplayException("invalid shape item '" + item.strip() + "': " + e.getMessage());
        }
        throw new ReplayException("invalid shape item '" + item.strip() + "': expected 'ramp [x0->]x2 over 5m', "
                + "'hold 10m', 'hold x2 for 10m' or 'spike x5 at 6m|14:00 for 2m'");
    }

    public boolean isNone() {
        return stages.isEmpty() && spikes.isEmpty();
    }

    /** The stages' total length; zero without stages. */
    public Duration stagesLength() {
        return stages.stream().map(Stage::length).reduce(Duration.ZERO, Duration::plus);
    }

    /** This shape plus another's stages and spikes (a scenario's stages and the command line's spikes). */
    public Shape plus(Shape other) {
        List<Stage> st = new ArrayList<>(stages);
        st.addAll(other.stages);
        List<Spike> sp = new ArrayList<>(spikes);
        sp.addAll(other.spikes);
        return new Shape(st, sp);
    }

    /**
     * The factor over replay time. A time-of-day spike starts at the first moment at or after
     * {@code windowStartMicros} with that UTC time of day, mapped to replay time by the speed.
     */
    public RateProfile profile(long windowStartMicros, double speed) {
        int n = stages.size();
        long[] segStart = new long[n];
        long[] segEnd = new long[n];
        double[] segFrom = new double[n];
        double[] segTo = new double[n];
        long t = 0;
        double level = 1.0;
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            double from = s.kind.equals("hold") ? (Double.isNaN(s.to) ? level : s.to) : Double.isNaN(s.from) ? level : s.from;
            double to = s.kind.equals("hold") ? from : s.to;
            segStart[i] = t;
            t = saturatedAdd(t, s.length.toNanos());
            segEnd[i] = t;
            segFrom[i] = from;
            segTo[i] = to;
            level = to;
        }
        long[] spStart = new long[spikes.size()];
        long[] spEnd = new long[spikes.size()];
        double[] spFactor = new double[spikes.size()];
        for (int i = 0; i < spikes.size(); i++) {
            Spike s = spikes.get(i);
            long at = s.atTimeOfDay == null ? s.at.toNanos() : timeOfDayOffsetNanos(s.atTimeOfDay, windowStartMicros, speed);
            spStart[i] = at;
            spEnd[i] = saturatedAdd(at, s.length.toNanos());
            spFactor[i] = s.factor;
        }
        return new RateProfile(segStart, segEnd, segFrom, segTo, spStart, spEnd, spFactor);
    }

    private static long timeOfDayOffsetNanos(LocalTime time, long windowStartMicros, double speed) {
        ZonedDateTime start = java.time.Instant.ofEpochSecond(0, windowStartMicros * 1000).atZone(ZoneOffset.UTC);
        ZonedDateTime at = start.with(time);
        if (at.isBefore(start)) {
            at = at.plusDays(1);
        }
        long recordedNanos = Duration.between(start, at).toNanos();
        return (long) (recordedNanos / speed);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static double level(String text) {
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException("a level must be a number >= 0, like x2 or x0.5");
        }
        return v;
    }

    private static Duration span(String text) {
        Duration d = Durations.parse(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("a length must be positive");
        }
        return d;
    }

    /** The compact syntax, which {@link #parse} reads back. */
    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        stages.forEach(s -> items.add(s.toString()));
        spikes.forEach(s -> items.add(s.toString()));
        return String.join(", ", items);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
