package io.opsd.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --from-node}: the old daemon's node_id and agent metadata in opsd's data directory. */
class ImportConfigFromNodeTest {

    @TempDir
    Path dir;

    private ImportRun run;
    private Path yaml;
    private Path oldNode;

    @BeforeEach
    void oldDaemon() throws IOException {
        run = new ImportRun(dir);
        yaml = run.resource("daemon.yaml");
        for (String f : new String[] {"node_id", "metadata/filebeat.json", "metadata/telegraf.json",
            "metadata/retired.json"}) {
            run.resource("node/" + f);
        }
        oldNode = dir.resolve("node");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String withoutUpdated(String json) {
        return json.replaceAll("\"updated\":\"[^\"]+\"", "\"updated\":\"-\"");
    }

    @Test
    void theNodeIdAndTheAgentsMetadataGoIntoTheDataDirectoryBesideOut() throws IOException {
        Path home = dir.resolve("home");
        assertEquals(0, run.run(yaml.toString(), "--out", home.resolve("runtime-config").toString(), "--from-node",
            oldNode.toString()), run.err());
        Path data = home.resolve("data");
        assertEquals("6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", read(data.resolve("node_id")), "no newline");
        assertTrue(run.err().contains("holds 6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b, but daemon.id = edge-gw-0042"
            + " wins, in opsd as in the old daemon"), run.err());

        assertEquals("{\"id\":\"filebeat\",\"type\":\"filebeat\",\"version\":\"\",\"status\":\"stopped\","
            + "\"desired_state\":\"running\",\"pid\":0,\"process_start_time\":0,"
            + "\"start_time\":\"2024-05-01T08:00:00.123456789Z\",\"restart_count\":3,"
            + "\"last_heartbeat\":\"2024-05-01T10:05:30Z\",\"health\":\"unknown\",\"health_reason\":\"\","
            + "\"revision\":1,\"updated\":\"-\"}", withoutUpdated(read(data.resolve("agents/filebeat.json"))));
        long one = Instant.parse("2024-05-01T10:01:00Z").toEpochMilli();
        long two = Instant.parse("2024-05-01T10:02:00Z").toEpochMilli();
        assertEquals("{\"id\":\"filebeat\",\"samples\":[[" + one + ",1.5,52428800,0,0,0,0,0],[" + two
            + ",2.25,53477376,0,0,0,0,0]]}", read(data.resolve("agents/history/filebeat.json")));
        assertEquals("{\"id\":\"telegraf\",\"type\":\"telegraf\",\"version\":\"\",\"status\":\"stopped\","
            + "\"desired_state\":\"running\",\"pid\":0,\"process_start_time\":0,\"restart_count\":0,"
            + "\"health\":\"unknown\",\"health_reason\":\"\",\"revision\":1,\"updated\":\"-\"}",
            withoutUpdated(read(data.resolve("agents/telegraf.json"))), "Go's zero time is no time");
        assertFalse(Files.exists(data.resolve("agents/retired.json")));
        assertFalse(Files.exists(data.resolve("agents/custom-probe.json")), "no metadata, nothing written");

        String err = run.err();
        assertTrue(err.contains("metadata/filebeat.json records pid 4242, which is not imported"), err);
        assertTrue(err.contains("metadata/filebeat.json has 1 resource_history point(s) without a readable"
            + " timestamp"), err);
        assertTrue(err.contains("metadata/retired.json is not imported: it belongs to no agent the import converted"),
            err);
        assertTrue(run.out().contains("wrote " + data.resolve("agents/filebeat.json")), run.out());
        Instant.parse(read(data.resolve("agents/filebeat.json")).replaceAll(".*\"updated\":\"([^\"]+)\".*", "$1"));
    }

    @Test
    void dataNamesTheDataDirectory() throws IOException {
        Path data = dir.resolve("elsewhere");
        assertEquals(0, run.run(yaml.toString(), "--out", dir.resolve("cfg").toString(), "--from-node",
            oldNode.toString(), "--data", data.toString()), run.err());
        assertTrue(Files.isRegularFile(data.resolve("node_id")));
        assertTrue(Files.isRegularFile(data.resolve("agents/history/filebeat.json")));
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void aNodeIdIsTrimmedAndValidated() throws IOException {
        Path plain = run.yaml("agents: [{id: filebeat, binary_path: /bin/sleep, enabled: true}]\n");
        Files.writeString(oldNode.resolve("node_id"), "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\n");
        assertEquals(0, run.run(plain.toString(), "--out", dir.resolve("a/cfg").toString(), "--from-node",
            oldNode.toString()));
        assertEquals("6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", read(dir.resolve("a/data/node_id")));
        assertTrue(run.err().contains("node_id ends with blanks or a newline; written without them"), run.err());

        Files.writeString(oldNode.resolve("node_id"), "../../etc/passwd");
        assertEquals(0, run.run(plain.toString(), "--out", dir.resolve("b/cfg").toString(), "--from-node",
            oldNode.toString()));
        assertFalse(Files.exists(dir.resolve("b/data/node_id")));
        assertTrue(run.err().contains("node_id does not hold a node id opsd accepts"), run.err());

        Files.delete(oldNode.resolve("node_id"));
        assertEquals(0, run.run(plain.toString(), "--out", dir.resolve("c/cfg").toString(), "--from-node",
            oldNode.toString()));
        assertTrue(run.err().contains("node_id is missing: opsd generates a new node id"), run.err());
        assertTrue(Files.isRegularFile(dir.resolve("c/data/agents/filebeat.json")), "the metadata still comes over");
    }

    @Test
    void unreadableMetadataIsReportedAndSkipped() throws IOException {
        Path plain = run.yaml("""
            agents:
              - {id: filebeat, binary_path: /bin/sleep, enabled: true, restart: {max_retries: 2}}
              - {id: telegraf, binary_path: /bin/sleep, enabled: true}
            """);
        Files.writeString(oldNode.resolve("metadata/filebeat.json"), "{\"restart_count\": 7, \"pid\": -1}");
        Files.writeString(oldNode.resolve("metadata/telegraf.json"), "{\"restart_count\": 2}");
        assertEquals(0, run.run(plain.toString(), "--out", dir.resolve("h/cfg").toString(), "--from-node",
            oldNode.toString()));
        assertFalse(Files.exists(dir.resolve("h/data/agents/filebeat.json")));
        assertTrue(run.err().contains("metadata/filebeat.json cannot be read (pid = -1 is not a whole number of at"
            + " least 0); agent filebeat starts with an empty history and restart count"), run.err());
        assertTrue(read(dir.resolve("h/data/agents/telegraf.json")).contains("\"restart_count\":2,"));

        Files.writeString(oldNode.resolve("metadata/filebeat.json"), "{\"restart_count\": 7}");
        assertEquals(0, run.run(plain.toString(), "--out", dir.resolve("i/cfg").toString(), "--from-node",
            oldNode.toString()));
        assertTrue(run.err().contains("metadata/filebeat.json has restart_count = 7, kept; opsd counts automatic"
            + " restarts in a row against restart.max_retries (2)"), run.err());
    }
}
