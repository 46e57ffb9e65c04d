package io.opsd.heartbeat.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The JSON documents of the heartbeat endpoints, written through jackson-core as the old daemon's Go encoder wrote
 * them (contracts.md §3): {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped, control characters other than
 * {@code \n}, {@code \r} and {@code \t} as lowercase {@code \\u00xx}, and a newline after the document.
 */
final class GoJson {

    private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new GoEscapes()).build();
    private static final String TAIL = "\"}\n";
    private static final String RECEIVED = "heartbeat received";
    /** Every accepted heartbeat gets this answer: all of it but the timestamp is written once. */
    private static final String RECEIVED_HEAD = head(true, RECEIVED);

    private GoJson() {
    }

    /** The contract's answer: {@code {"success":...,"message":"...","timestamp":"<RFC 3339 nanos>"}}. */
    static String answer(boolean success, String message) {
        String head = success && RECEIVED.equals(message) ? RECEIVED_HEAD : head(success, message);
        return head + GoTime.rfc3339Nano(Instant.now()) + TAIL; // a timestamp has nothing to escape
    }

    /** The answer up to the opening quote of its timestamp's value. */
    private static String head(boolean success, String message) {
        String document = write(g -> {
            g.writeBooleanField("success", success);
            g.writeStringField("message", message);
            g.writeStringField("timestamp", "");
        });
        return document.substring(0, document.length() - TAIL.length());
    }

    /** {@code GET /heartbeat/stats}. */
    static String stats(HeartbeatReceiver.Stats s) {
        return write(g -> {
            g.writeNumberField("total_received", s.received());
            g.writeNumberField("total_processed", s.processed());
            g.writeNumberField("total_errors", s.errors());
            g.writeStringField("last_received_time", GoTime.rfc3339Nano(s.lastReceived()));
            g.writeNumberField("average_latency", s.averageLatencyNanos());
        });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    private static final class GoEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        GoEscapes() {
            for (int c = 0; c < 0x20; c++) {
                ascii[c] = c == '\n' || c == '\r' || c == '\t' ? ascii[c] : ESCAPE_CUSTOM;
            }
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean escaped = ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029;
            return escaped ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
