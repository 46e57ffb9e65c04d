package io.opsd.heartbeat.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Decodes a heartbeat body the way the old daemon's Go {@code json.Decoder} did, with its error texts: fields
 * matched case-insensitively, unknown fields ignored, {@code null} leaves a field unset, a string or a fraction
 * for {@code pid} and a negative {@code memory} are errors, only the first JSON value is read.
 */
final class HeartbeatDecoder {

    static final class DecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeException(String message) {
            super(message);
        }
    }

    private static final String STRUCT = "Go struct field HeartbeatRequest.";
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();

    HeartbeatRequest decode(byte[] body) throws DecodeException {
        try (JsonParser p = json.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new DecodeException("EOF");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new DecodeException("json: cannot unmarshal " + kind(first) + " into Go value of type"
                    + " handler.HeartbeatRequest");
            }
            String agentId = "";
            long pid = 0;
            String status = "";
            double cpu = 0;
            long memory = 0;
            Optional<Instant> timestamp = Optional.empty();
            while (true) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new DecodeException("unexpected EOF");
                }
                if (t == JsonToken.END_OBJECT) {
                    break;
                }
                String field = p.currentName().toLowerCase(Locale.ROOT);
                JsonToken value = p.nextToken();
                if (value == null) {
                    throw new DecodeException("unexpected EOF");
                }
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (field) {
                    case "agent_id" -> agentId = string(p, value, "agent_id");
                    case "status" -> status = string(p, value, "status");
                    case "timestamp" -> timestamp = time(string(p, value, "timestamp"));
                    case "pid" -> pid = integer(p, value);
                    case "cpu" -> cpu = number(p, value);
                    case "memory" -> memory = unsigned(p, value);
                    default -> p.skipChildren();
                }
            }
            return new HeartbeatRequest(agentId, pid, status, cpu, memory, timestamp);
        } catch (JsonParseException e) {
            throw new DecodeException(syntax(e));
        } catch (IOException e) {
            throw new DecodeException("unexpected EOF");
        }
    }

    private static String string(JsonParser p, JsonToken value, String field) throws IOException, DecodeException {
        if (value != JsonToken.VALUE_STRING) {
            throw mismatch(kind(value) + (value.isNumeric() ? " " + p.getText() : ""), field, "string", p, value);
        }
        return p.getText();
    }

    private static long integer(JsonParser p, JsonToken value) throws IOException, DecodeException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            BigInteger n = p.getBigIntegerValue();
            if (n.bitLength() < 64) {
                return n.longValue();
            }
        }
        throw mismatch(value.isNumeric() ? "number " + p.getText() : kind(value), "pid", "int", p, value);
    }

    private static long unsigned(JsonParser p, JsonToken value) throws IOException, DecodeException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            BigInteger n = p.getBigIntegerValue();
            if (n.signum() >= 0 && n.compareTo(UINT64_MAX) <= 0) {
                return n.bitLength() < 64 ? n.longValue() : Long.MAX_VALUE;
            }
        }
        throw mismatch(value.isNumeric() ? "number " + p.getText() : kind(value), "memory", "uint64", p, value);
    }

    private static double number(JsonParser p, JsonToken value) throws IOException, DecodeException {
        if (value.isNumeric()) {
            BigDecimal d = p.getDecimalValue();
            double v = d.doubleValue();
            if (Double.isFinite(v)) {
                return v;
            }
            throw mismatch("number " + p.getText(), "cpu", "float64", p, value);
        }
        throw mismatch(kind(value), "cpu", "float64", p, value);
    }

    private static DecodeException mismatch(String what, String field, String type, JsonParser p, JsonToken value)
        throws IOException {
        p.skipChildren();
        return new DecodeException("json: cannot unmarshal " + what + " into " + STRUCT + field + " of type " + type);
    }

    private static Optional<Instant> time(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty(); // the contract: an invalid timestamp means the server's time
        }
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_TRUE, VALUE_FALSE -> "bool";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            default -> "value";
        };
    }

    /** Go's wording for a malformed document, from Jackson's. */
    private static String syntax(JsonParseException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Unexpected end-of-input")) {
            return "unexpected EOF";
        }
        int quote = m.indexOf('\'');
        if (m.startsWith("Unexpected character") && quote >= 0 && m.indexOf('\'', quote + 1) > quote) {
            String ch = m.substring(quote + 1, m.indexOf('\'', quote + 1));
            return "invalid character '" + ch + "' looking for beginning of value";
        }
        if (m.startsWith("Unrecognized token")) {
            int start = m.indexOf('\'');
            String token = start >= 0 && m.length() > start + 1 ? m.substring(start + 1, start + 2) : "?";
            return "invalid character '" + token + "' looking for beginning of value";
        }
        return "invalid character in JSON: " + m;
    }
}
