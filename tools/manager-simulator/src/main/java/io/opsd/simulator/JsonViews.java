package io.opsd.simulator;

import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/** The JSON shapes the control endpoint answers with; field names are snake_case like the proto fields. */
final class JsonViews {

    private JsonViews() {
    }

    static JsonArray calls(List<RecordedCall> calls) {
        JsonArray array = new JsonArray();
        for (RecordedCall c : calls) {
            JsonObject o = new JsonObject();
            o.addProperty("index", c.index());
            o.addProperty("service", c.service());
            o.addProperty("rpc", c.rpc());
            o.addProperty("received_at_ms", c.receivedAtMs());
            o.addProperty("peer", c.peer());
            o.addProperty("authorization", c.authorization());
            o.add("mode", nullable(c.mode()));
            o.add("request", c.requestJson() == null ? JsonNull.INSTANCE : JsonParser.parseString(c.requestJson()));
            o.add("rejected", nullable(c.rejected()));
            array.add(o);
        }
        return array;
    }

    static JsonArray nodes(List<RegisteredNode> nodes) {
        JsonArray array = new JsonArray();
        for (RegisteredNode n : nodes) {
            JsonObject o = new JsonObject();
            o.addProperty("node_id", n.nodeId());
            o.addProperty("hostname", n.hostname());
            o.addProperty("ip", n.ip());
            o.addProperty("os", n.os());
            o.addProperty("arch", n.arch());
            o.add("labels", stringMap(n.labels()));
            o.addProperty("daemon_version", n.daemonVersion());
            o.addProperty("agent_version", n.agentVersion());
            o.addProperty("registered_at_ms", n.registeredAtMs());
            o.addProperty("last_heartbeat_ms", n.lastHeartbeatMs());
            o.addProperty("last_heartbeat_timestamp", n.lastHeartbeatTimestamp());
            o.addProperty("auto_registered", n.autoRegistered());
            array.add(o);
        }
        return array;
    }

    static JsonArray states(List<AgentStateStore.StoredAgentState> states) {
        JsonArray array = new JsonArray();
        for (AgentStateStore.StoredAgentState s : states) {
            JsonObject o = new JsonObject();
            o.addProperty("node_id", s.nodeId());
            o.addProperty("agent_id", s.agentId());
            o.addProperty("status", s.status());
            o.addProperty("pid", s.pid());
            o.addProperty("last_heartbeat", s.lastHeartbeat());
            o.addProperty("type", s.type());
            o.addProperty("version", s.version());
            o.addProperty("updated_at_ms", s.updatedAtMs());
            array.add(o);
        }
        return array;
    }

    static JsonObject modes(Map<SimulatedRpc, Mode> modes) {
        JsonObject o = new JsonObject();
        modes.forEach((rpc, mode) -> o.addProperty(rpc.methodName(), mode.wireName()));
        return o;
    }

    static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    private static JsonObject stringMap(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> o.addProperty(e.getKey(), e.getValue()));
        return o;
    }

    private static JsonElement nullable(String value) {
        return value == null ? JsonNull.INSTANCE : new JsonPrimitive(value);
    }
}
