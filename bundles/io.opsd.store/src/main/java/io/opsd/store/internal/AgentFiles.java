package io.opsd.store.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.store.AgentIds;
import io.opsd.api.store.AgentRecord;
import io.opsd.api.store.ResourceSample;

/**
 * Where the store keeps its files ({@code <dir>/<id>.json}, {@code <dir>/history/<id>.json}) and how it reads
 * them back at start: an unreadable file is set aside and reported, never dropped in silence; the leftover of an
 * unfinished write is deleted.
 */
final class AgentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AgentFiles.class);
    private static final String JSON = ".json";

    private final Path dir;
    private final Path historyDir;
    private final AgentJson codec;
    private long setAside;

    AgentFiles(Path dir, AgentJson codec) {
        this.dir = dir.toAbsolutePath().normalize();
        this.historyDir = this.dir.resolve("history");
        this.codec = codec;
    }

    Path dir() {
        return dir;
    }

    Path historyDir() {
        return historyDir;
    }

    Path recordFile(String id) {
        return AgentIds.fileIn(dir, id, JSON);
    }

    Path historyFile(String id) {
        return AgentIds.fileIn(historyDir, id, JSON);
    }

    /** How many unreadable files the reads so far moved aside. */
    long setAside() {
        return setAside;
    }

    /** The agent records on disk by id, in file name order. */
    Map<String, AgentRecord> readRecords(Instant now) {
        Map<String, AgentRecord> records = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        for (Path file : listWithoutLeftovers(dir)) {
            String name = file.getFileName().toString();
            if (!name.endsWith(JSON) || !Files.isRegularFile(file)) {
                continue;
            }
            String id = name.substring(0, name.length() - JSON.length());
            if (!AgentIds.isValid(id)) {
                LOG.warn("ignoring {}: its name is not an agent id", file);
                continue;
            }
            try {
                AgentRecord record = codec.read(Files.readAllBytes(file));
                if (!record.id().equals(id)) {
                    throw new CorruptFileException("it holds agent \"" + record.id() + "\"");
                }
                records.put(id, record);
            } catch (CorruptFileException | IOException e) {
                setAside(file, "agent state", e.getMessage(), now);
            }
        }
        return records;
    }

    /** The resource histories on disk of the agents in {@code known}; a history of another id is left alone. */
    Map<String, List<ResourceSample>> readHistories(Set<String> known, Instant now) {
        Map<String, List<ResourceSample>> histories = new LinkedHashMap<>();
        if (!Files.isDirectory(historyDir)) {
            return histories;
        }
        for (Path file : listWithoutLeftovers(historyDir)) {
            String name = file.getFileName().toString();
            String id = name.endsWith(JSON) ? name.substring(0, name.length() - JSON.length()) : "";
            if (!known.contains(id)) {
                continue;
            }
            try {
                histories.put(id, codec.readHistory(id, Files.readAllBytes(file)));
            } catch (CorruptFileException | IOException e) {
                setAside(file, "resource history", e.getMessage(), now);
            }
        }
        return histories;
    }

    /** Deletes both files of a removed agent; a failure is logged, the agent is gone from memory already. */
    void delete(String id) {
        try {
            Files.deleteIfExists(recordFile(id));
            Files.deleteIfExists(historyFile(id));
        } catch (IOException e) {
            LOG.warn("cannot delete the files of removed agent {}: {}", id, e.toString());
        }
    }

    private void setAside(Path file, String what, String why, Instant now) {
        setAside++;
        try {
            Path aside = AtomicFiles.setAside(file, now);
            LOG.error("the {} file {} cannot be read ({}); it was moved to {}, and the agent starts without it",
                what, file, why, aside.getFileName());
        } catch (IOException e) {
            LOG.error("the {} file {} cannot be read ({}), nor moved aside ({})", what, file, why, e.toString());
        }
    }

    /** The files of {@code directory} in name order, less the leftovers of unfinished writes, which it deletes. */
    private static List<Path> listWithoutLeftovers(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                if (file.getFileName().toString().endsWith(JSON + AtomicFiles.TMP)) {
                    deleteLeftover(file);
                } else {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            LOG.error("cannot list {}: {}", directory, e.toString());
        }
        files.sort(null);
        return files;
    }

    private static void deleteLeftover(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.warn("cannot delete the unfinished write {}: {}", tmp, e.toString());
        }
    }
}
