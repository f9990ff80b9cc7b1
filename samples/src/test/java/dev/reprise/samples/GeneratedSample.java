package dev.reprise.samples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** A log and its ground truth generated in memory, with the truth parsed into maps and lists. */
record GeneratedSample(String log, String truthText, Map<String, Object> truth) {

    static GeneratedSample of(SampleGenerator.Options options) {
        StringWriter log = new StringWriter();
        StringWriter truth = new StringWriter();
        try {
            SampleGenerator.generate(options, log, truth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GeneratedSample(log.toString(), truth.toString(), parseObject(truth.toString()));
    }

    /** The lines without their terminating {@code \n}. */
    List<String> lines() {
        if (log.isEmpty()) {
            return List.of();
        }
        String[] parts = log.split("\n", -1);
        return Arrays.asList(parts).subList(0, parts.length - 1);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String field) {
        return (Map<String, Object>) truth.get(field);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String field) {
        return (List<Map<String, Object>>) truth.get(field);
    }

    long count(String field) {
        return ((Number) object("counts").get(field)).longValue();
    }

    static String gunzip(InputStream gzip) {
        try (InputStream in = new GZIPInputStream(gzip)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            return (Map<String, Object>) read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, read(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalStateException("unexpected " + token);
        }
    }
}
