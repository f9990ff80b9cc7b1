package dev.reprise.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A scenario file ({@code --scenario FILE.yaml}): the options of a replay, its load shape and its
 * thresholds in one reviewable file. Every field is optional (null or empty = not set); flags given on
 * the command line override the file. The format is documented in docs/scenario.md:
 *
 * <pre>
 * description: three times the recorded day, with a flash sale
 * mode: model
 * rate: x3
 * speed: 60
 * stages:
 *   - ramp: x0 -> x1
 *     over: 2m
 *   - hold: 10m
 * spikes:
 *   - spike: x2
 *     at: 5m
 *     for: 1m
 * thresholds:
 *   - p(95)&lt;300ms
 * headers:
 *   Authorization: Bearer demo
 * </pre>
 *
 * Parsed with snakeyaml-engine's composer, so every value keeps its line: an unknown key, a value of
 * the wrong kind or an invalid value is an error naming the file, the line and the key.
 */
public record Scenario(String description, String target, Mode mode, Rate rate, Double speed, Duration duration,
                       Long seed, Boolean loop, String from, String to, Duration timeout, Integer maxInflight,
                       Integer connections, Boolean http2, Optional<String> sessionHeader,
                       Map<String, String> headers, List<Threshold> thresholds, Shape shape, Path bodies) {
    private static final Set<String> KEYS = Set.of("description", "target", "mode", "rate", "speed", "duration",
            "seed", "loop", "from", "to", "timeout", "max_inflight", "connections", "http2", "session_header",
            "headers", "thresholds", "stages", "spikes", "bodies");

    /**
     * @param sessionHeader null = not set; empty = no session header ({@code session_header: false});
     *                      else the header's name
     * @param bodies        directory of request bodies, relative paths resolved against the scenario's
     *                      directory; null = not set
     */
    public Scenario {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
        shape = shape == null ? Shape.NONE : shape;
    }

    /** Reads and validates a scenario file. */
    public static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ReplayException("cannot read the scenario " + file + ": " + e.getMessage());
        }
        Scenario s = parse(text, file.toString());
        if (s.bodies() != null && !s.bodies().isAbsolute()) {
            Path base = file.toAbsolutePath().getParent();
            s = new Scenario(s.description(), s.target(), s.mode(), s.rate(), s.speed(), s.duration(), s.seed(), s.loop(),
                    s.from(), s.to(), s.timeout(), s.maxInflight(), s.connections(), s.http2(), s.sessionHeader(),
                    s.headers(), s.thresholds(), s.shape(), base.resolve(s.bodies()).normalize());
        }
        return s;
    }

    /** Parses scenario YAML; {@code name} is the file name used in error messages. */
    public static Scenario parse(String yaml, String name) {
        Optional<Node> document;
        try {
            document = new Compose(LoadSettings.builder().setLabel(name).build()).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ReplayException(name + ":" + line + ": not valid YAML: " + e.getProblem()
                    + " (see docs/scenario.md)");
        } catch (YamlEngineException e) {
            throw new ReplayException(name + ": not valid YAML: " + e.getMessage());
        }
        if (document.isEmpty()) {
            throw new ReplayException(name + ": the scenario is empty; see docs/scenario.md for its keys");
        }
        return new Reader(name).read(document.get());
    }

    /** Walks the composed node tree, which keeps each value's line for error messages. */
    private static final class Reader {
        private final String name;

        Reader(String name) {
            this.name = name;
        }

        Scenario read(Node root) {
            MappingNode map = mapping(root, "the scenario");
            String description = null;
            String target = null;
            Mode mode = null;
            Rate rate = null;
            Double speed = null;
            Duration duration = null;
            Long seed = null;
            Boolean loop = null;
            String from = null;
            String to = null;
            Duration timeout = null;
            Integer maxInflight = null;
            Integer connections = null;
            Boolean http2 = null;
            Optional<String> sessionHeader = null;
            Map<String, String> headers = new LinkedHashMap<>();
            List<Threshold> thresholds = new ArrayList<>();
            Shape stages = Shape.NONE;
            Shape spikes = Shape.NONE;
            Path bodies = null;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (NodeTuple entry : map.getValue()) {
                String key = scalar(entry.getKeyNode(), "a key");
                Node value = entry.getValueNode();
                if (!KEYS.contains(key)) {
                    throw error(entry.getKeyNode(), "unknown key '" + key + "'; expected one of "
                            + String.join(", ", new java.util.TreeSet<>(KEYS)));
                }
                if (!seen.add(key)) {
                    throw error(entry.getKeyNode(), "key '" + key + "' is given twice");
                }
                switch (key) {
                    case "description" -> description = scalar(value, key);
                    case "target" -> target = scalar(value, key);
                    case "mode" -> mode = convert(value, key, Mode::parse);
                    case "rate" -> rate = convert(value, key, Rate::parse);
                    case "speed" -> speed = convert(value, key, Double::parseDouble);
                    case "duration" -> duration = convert(value, key, Durations::parse);
                    case "seed" -> seed = convert(value, key, Long::parseLong);
                    case "loop" -> loop = bool(value, key);
                    case "from" -> from = scalar(value, key);
                    case "to" -> to = scalar(value, key);
                    case "timeout" -> timeout = convert(value, key, Durations::parse);
                    case "max_inflight" -> maxInflight = convert(value, key, Integer::parseInt);
                    case "connections" -> connections = convert(value, key, Integer::parseInt);
                    case "http2" -> http2 = bool(value, key);
                    case "session_header" -> {
                        String text = scalar(value, key);
                        sessionHeader = text.equalsIgnoreCase("false") ? Optional.of("") : Optional.of(text);
                    }
                    case "headers" -> {
                        for (NodeTuple h : mapping(value, key).getValue()) {
                            headers.put(scalar(h.getKeyNode(), "a header name"), scalar(h.getValueNode(), "header "
                                    + scalar(h.getKeyNode(), "a header name")));
                        }
                    }
                    case "thresholds" -> {
                        for (Node t : sequence(value, key).getValue()) {
                            thresholds.add(convert(t, "thresholds", Threshold::parse));
                        }
                    }
                    case "stages" -> stages = shapeItems(value, key, true);
                    case "spikes" -> spikes = shapeItems(value, key, false);
                    case "bodies" -> bodies = convert(value, key, Path::of);
                    default -> throw new IllegalStateException("key " + key + " listed but not read");
                }
            }
            return new Scenario(description, target, mode, rate, speed, duration, seed, loop, from, to, timeout,
                    maxInflight, connections, http2, sessionHeader, headers, thresholds, stages.plus(spikes), bodies);
        }

        /**
         * Stage or spike items: each a string in the compact --shape syntax ({@code hold 10m}) or a map
         * whose first key names the kind ({@code ramp: x0 -> x2} with {@code over: 5m}).
         */
        private Shape shapeItems(Node value, String key, boolean stages) {
            List<Shape.Stage> stageList = new ArrayList<>();
            List<Shape.Spike> spikeList = new ArrayList<>();
            for (Node item : sequence(value, key).getValue()) {
                String text = item instanceof MappingNode m ? compact(m, key) : scalar(item, key + " item");
                Object parsed = convert(item, key, Shape::parseItem, text);
                if (parsed instanceof Shape.Stage stage && stages) {
                    stageList.add(stage);
                } else if (parsed instanceof Shape.Spike spike && !stages) {
                    spikeList.add(spike);
                } else {
                    throw error(item, "'" + text + "' belongs under " + (stages ? "spikes" : "stages")
                            + ", not " + key);
                }
            }
            return new Shape(stageList, spikeList);
        }

        /** A map item as the compact syntax: {ramp: x2, over: 5m} is "ramp x2 over 5m". */
        private String compact(MappingNode item, String key) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (NodeTuple t : item.getValue()) {
                String field = scalar(t.getKeyNode(), "a key");
                fields.put(field, scalar(t.getValueNode(), field));
            }
            String kind = fields.keySet().iterator().next();
            Set<String> allowed = switch (kind) {
                case "ramp" -> Set.of("ramp", "over");
                case "hold" -> Set.of("hold", "level");
                case "spike" -> Set.of("spike", "at", "for");
                default -> throw error(item, "unknown " + key + " item '" + kind + "'; expected ramp, hold or spike");
            };
            for (NodeTuple t : item.getValue()) {
                String field = scalar(t.getKeyNode(), "a key");
                if (!allowed.contains(field)) {
                    throw error(t.getKeyNode(), "unknown key '" + field + "' in a " + kind + "; expected "
                            + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
            return switch (kind) {
                case "ramp" -> "ramp " + fields.get("ramp") + " over " + require(item, fields, "over", kind);
                case "hold" -> fields.containsKey("level")
                        ? "hold " + fields.get("level") + " for " + fields.get("hold") : "hold " + fields.get("hold");
                default -> "spike " + fields.get("spike") + " at " + require(item, fields, "at", kind)
                        + " for " + require(item, fields, "for", kind);
            };
        }

        private String require(Node item, Map<String, String> fields, String field, String kind) {
            String v = fields.get(field);
            if (v == null) {
                throw error(item, "a " + kind + " needs '" + field + ":'");
            }
            return v;
        }

        private <T> T convert(Node node, String key, java.util.function.Function<String, T> parser) {
            return convert(node, key, parser, scalar(node, key));
        }

        private <T> T convert(Node node, String key, java.util.function.Function<String, T> parser, String text) {
            try {
                return parser.apply(text);
            } catch (ReplayException e) {
                // the parsers of rates, modes, thresholds and shapes name the value already
                throw error(node, e.getMessage());
            } catch (NumberFormatException e) {
                throw error(node, "invalid " + key + " '" + text + "': expected a number");
            } catch (IllegalArgumentException e) {
                throw error(node, "invalid " + key + ": " + e.getMessage());
            }
        }

        private Boolean bool(Node node, String key) {
            String text = scalar(node, key).toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                throw error(node, key + " must be true or false, got '" + text + "'");
            }
            return Boolean.valueOf(text);
        }

        private String scalar(Node node, String what) {
            if (node instanceof ScalarNode s) {
                return s.getValue();
            }
            throw error(node, "expected a single value for " + what + ", found a " + kind(node));
        }

        private MappingNode mapping(Node node, String what) {
            if (node instanceof MappingNode m) {
                return m;
            }
            throw error(node, "expected a map of keys for " + what + ", found a " + kind(node));
        }

        private SequenceNode sequence(Node node, String what) {
            if (node instanceof SequenceNode s) {
                return s;
            }
            throw error(node, "expected a list ('- item' lines) for " + what + ", found a " + kind(node));
        }

        private static String kind(Node node) {
            return node instanceof MappingNode ? "map" : node instanceof SequenceNode ? "list" : "single value";
        }

        private ReplayException error(Node node, String message) {
            int line = node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
            return new ReplayException(name + ":" + line + ": " + message);
        }
    }
}
