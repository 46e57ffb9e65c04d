package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBufferTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(DiskBuffer b) throws Exception {
        List<String> out = new ArrayList<>();
        for (var e = b.oldest(); e.isPresent(); e = b.oldest()) {
            out.add(e.get().kind() + ":" + new String(e.get().payload(), StandardCharsets.UTF_8));
            b.remove(e.get().sequence());
        }
        return out;
    }

    @Test
    void entriesComeBackInOrderAcrossARestart() throws Exception {
        DiskBuffer first = new DiskBuffer(dir, 1 << 20, () -> { });
        first.append(DiskBuffer.Kind.REPORT, bytes("r1"));
        first.append(DiskBuffer.Kind.STATES, bytes("s1"));
        first.append(DiskBuffer.Kind.REPORT, bytes("r2"));
        Files.writeString(dir.resolve("0000000000000009.report.tmp"), "half written when the node died");

        DiskBuffer reopened = new DiskBuffer(dir, 1 << 20, () -> { });
        assertEquals(3, reopened.size());
        assertFalse(Files.exists(dir.resolve("0000000000000009.report.tmp")), "an unfinished write is discarded");
        reopened.append(DiskBuffer.Kind.STATES, bytes("s2"));
        assertEquals(List.of("REPORT:r1", "STATES:s1", "REPORT:r2", "STATES:s2"), drain(reopened));
        assertEquals(0, reopened.bytes());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "delivered entries leave no file");
        }
    }

    @Test
    void whenFullTheOldestAreDroppedAndCountedInMetrics() throws Exception {
        ManagerLinkMetrics metrics = new ManagerLinkMetrics();
        assertEquals(0.0, droppedTotal(metrics));
        DiskBuffer b = new DiskBuffer(dir, 10, metrics::dropped);
        b.append(DiskBuffer.Kind.REPORT, bytes("aaaa"));
        b.append(DiskBuffer.Kind.REPORT, bytes("bbbb"));
        assertEquals(0.0, droppedTotal(metrics));
        b.append(DiskBuffer.Kind.REPORT, bytes("cccc"));
        assertEquals(1, b.dropped());
        assertEquals(1.0, droppedTotal(metrics));
        b.append(DiskBuffer.Kind.REPORT, bytes("dddddddd"));
        assertEquals(3.0, droppedTotal(metrics), "two more made room for one bigger entry");
        // a reconfigured link opens a new buffer; the count in /metrics goes on from where it was
        DiskBuffer reopened = new DiskBuffer(dir, 4, metrics::dropped);
        reopened.append(DiskBuffer.Kind.STATES, bytes("eeee"));
        assertEquals(4.0, droppedTotal(metrics));
        drain(reopened);
        b = new DiskBuffer(dir, 10, () -> { });
        b.append(DiskBuffer.Kind.REPORT, bytes("aaaa"));
        b.append(DiskBuffer.Kind.REPORT, bytes("bbbb"));
        b.append(DiskBuffer.Kind.REPORT, bytes("cccc"));
        assertEquals(1, b.dropped());
        assertTrue(b.bytes() <= 10);
        assertEquals(List.of("REPORT:bbbb", "REPORT:cccc"), drain(b));
    }

    @Test
    void aPayloadIsStoredByteForByte() throws Exception {
        byte[] payload = new byte[70_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        DiskBuffer b = new DiskBuffer(dir, 1 << 20, () -> { });
        b.append(DiskBuffer.Kind.STATES, payload);
        assertArrayEquals(payload, new DiskBuffer(dir, 1 << 20, () -> { }).oldest().orElseThrow().payload());
    }

    private static double droppedTotal(ManagerLinkMetrics metrics) {
        return metrics.collect().samples().stream().filter(x -> x.name().endsWith("buffer_dropped_total"))
            .mapToDouble(x -> x.value()).findFirst().orElseThrow();
    }
}
