package io.opsd.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.opsd.api.store.AgentIds;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.DesiredState;
import io.opsd.api.store.LastExit;
import io.opsd.api.store.ResourceSample;

/**
 * The files of the store: an agent's state as one JSON object with snake_case fields and RFC 3339 times
 * (architecture.md §9), and its history as {@code {"id": ..., "samples": [[time, cpu, rss, vms, read, write,
 * open_files, threads], ...]}}. Unknown fields are skipped, so a newer opsd's file loads in an older one.
 */
final class AgentJson {

    private final JsonFactory json = JsonFactory.builder().build();

    byte[] write(AgentRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("type", r.type());
            g.writeStringField("version", r.version());
            g.writeStringField("status", r.status());
            g.writeStringField("desired_state", r.desiredState().wireName());
            g.writeNumberField("pid", r.pid());
            g.writeNumberField("process_start_time", r.processStartTime());
            time(g, "start_time", r.startTime());
            g.writeNumberField("restart_count", r.restartCount());
            if (r.lastExit().isPresent()) {
                LastExit e = r.lastExit().get();
                g.writeObjectFieldStart("last_exit");
                g.writeStringField("time", e.time().toString());
                if (e.code().isPresent()) {
                    g.writeNumberField("code", e.code().getAsInt());
                }
                if (e.signal().isPresent()) {
                    g.writeStringField("signal", e.signal().get());
                }
                g.writeEndObject();
            }
            time(g, "last_heartbeat", r.lastHeartbeat());
            time(g, "heartbeat_received", r.heartbeatReceived());
            if (r.heartbeatStatus().isPresent()) {
                g.writeStringField("heartbeat_status", r.heartbeatStatus().get());
            }
            if (r.reportedCpu().isPresent()) {
                g.writeNumberField("reported_cpu", r.reportedCpu().getAsDouble());
            }
            if (r.reportedMemory().isPresent()) {
                g.writeNumberField("reported_memory", r.reportedMemory().getAsLong());
            }
            g.writeStringField("health", r.health());
            g.writeStringField("health_reason", r.healthReason());
            g.writeNumberField("revision", r.revision());
            g.writeStringField("updated", r.updated().toString());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    AgentRecord read(byte[] bytes) throws CorruptFileException {
        if (bytes.length == 0) {
            throw new CorruptFileException("the file is empty");
        }
        try (JsonParser p = json.createParser(bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String id = null;
            String type = "";
            String version = "";
            String status = "stopped";
            DesiredState desired = DesiredState.RUNNING;
            long pid = 0;
            long processStart = 0;
            Optional<Instant> start = Optional.empty();
            int restarts = 0;
            Optional<LastExit> lastExit = Optional.empty();
            Optional<Instant> lastHeartbeat = Optional.empty();
            Optional<Instant> received = Optional.empty();
            Optional<String> heartbeatStatus = Optional.empty();
            OptionalDouble cpu = OptionalDouble.empty();
            OptionalLong memory = OptionalLong.empty();
            String health = "unknown";
            String reason = "";
            long revision = 0;
            Instant updated = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsString();
                    case "type" -> type = p.getValueAsString("");
                    case "version" -> version = p.getValueAsString("");
                    case "status" -> status = p.getValueAsString("stopped");
                    case "desired_state" -> desired = DesiredState.fromWireName(p.getValueAsString("running"));
                    case "pid" -> pid = p.getLongValue();
                    case "process_start_time" -> processStart = p.getLongValue();
                    case "start_time" -> start = Optional.of(instant(p.getValueAsString()));
                    case "restart_count" -> restarts = p.getIntValue();
                    case "last_exit" -> lastExit = Optional.of(lastExit(p, value));
                    case "last_heartbeat" -> lastHeartbeat = Optional.of(instant(p.getValueAsString()));
                    case "heartbeat_received" -> received = Optional.of(instant(p.getValueAsString()));
                    case "heartbeat_status" -> heartbeatStatus = Optional.of(p.getValueAsString(""));
                    case "reported_cpu" -> cpu = OptionalDouble.of(p.getDoubleValue());
                    case "reported_memory" -> memory = OptionalLong.of(p.getLongValue());
                    case "health" -> health = p.getValueAsString("unknown");
                    case "health_reason" -> reason = p.getValueAsString("");
                    case "revision" -> revision = p.getLongValue();
                    case "updated" -> updated = instant(p.getValueAsString());
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT);
            if (p.nextToken() != null) {
                throw new CorruptFileException("text follows the JSON object");
            }
            if (!AgentIds.isValid(id)) {
                throw new CorruptFileException("no valid \"id\"");
            }
            return new AgentRecord(id, type, version, status, desired, pid, processStart, start, restarts, lastExit,
                lastHeartbeat, received, heartbeatStatus, cpu, memory, health, reason, revision,
                updated == null ? Instant.EPOCH : updated);
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()), e);
        }
    }

    byte[] writeHistory(String id, List<ResourceSample> samples) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + samples.size() * 64);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeArrayFieldStart("samples");
            for (ResourceSample s : samples) {
                g.writeStartArray();
                g.writeNumber(s.time().toEpochMilli());
                g.writeNumber(s.cpuPercent());
                g.writeNumber(s.rssBytes());
                g.writeNumber(s.vmsBytes());
                g.writeNumber(s.diskReadBytes());
                g.writeNumber(s.diskWriteBytes());
                g.writeNumber(s.openFiles());
                g.writeNumber(s.threads());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    List<ResourceSample> readHistory(String id, byte[] bytes) throws CorruptFileException {
        if (bytes.length == 0) {
            throw new CorruptFileException("the file is empty");
        }
        try (JsonParser p = json.createParser(bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String fileId = null;
            List<ResourceSample> samples = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("id")) {
                    fileId = p.getValueAsString();
                } else if (field.equals("samples")) {
                    expect(value, JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        samples.add(sample(p));
                    }
                    expect(p.currentToken(), JsonToken.END_ARRAY);
                } else {
                    p.skipChildren();
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT);
            if (!id.equals(fileId)) {
                throw new CorruptFileException("holds the history of \"" + fileId + "\", not of \"" + id + "\"");
            }
            return samples;
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()), e);
        }
    }

    private static ResourceSample sample(JsonParser p) throws IOException, CorruptFileException {
        long[] n = new long[8];
        double cpu = 0;
        for (int i = 0; i < 8; i++) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new CorruptFileException("a sample has " + (i) + " numbers, not 8");
            }
            if (i == 1) {
                cpu = p.getDoubleValue();
            } else {
                n[i] = p.getLongValue();
            }
        }
        expect(p.nextToken(), JsonToken.END_ARRAY);
        return new ResourceSample(Instant.ofEpochMilli(n[0]), cpu, n[2], n[3], n[4], n[5], (int) n[6], (int) n[7]);
    }

    private static LastExit lastExit(JsonParser p, JsonToken start) throws IOException, CorruptFileException {
        expect(start, JsonToken.START_OBJECT);
        Instant time = null;
        OptionalInt code = OptionalInt.empty();
        Optional<String> signal = Optional.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "time" -> time = instant(p.getValueAsString());
                case "code" -> code = OptionalInt.of(p.getIntValue());
                case "signal" -> signal = Optional.of(p.getValueAsString());
                default -> p.skipChildren();
            }
        }
        if (time == null) {
            throw new CorruptFileException("last_exit has no time");
        }
        return new LastExit(time, code, signal);
    }

    private static void time(JsonGenerator g, String field, Optional<Instant> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get().toString());
        }
    }

    private static Instant instant(String text) throws CorruptFileException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new CorruptFileException("\"" + text + "\" is not an RFC 3339 time");
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws CorruptFileException {
        if (actual != wanted) {
            throw new CorruptFileException("expected " + wanted + " but found " + actual);
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
