package io.opsd.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host's processes as /proc shows them, for tests that look for what opsd started or left behind. */
final class LiveProcesses {

    private static final Path PROC = Path.of("/proc");

    /** One process: from its {@code stat} line (state, parent, session) and, on demand, its environment. */
    record Proc(long pid, String command, char state, long parent, long session) {

        boolean zombie() {
            return state == 'Z'; // ended already, only not reaped by its parent yet
        }

        boolean sessionLeader() {
            return session == pid;
        }

        /** Its environment, or an empty list once it has ended. */
        List<String> environment() {
            try {
                byte[] bytes = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
                return List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\0"));
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    private LiveProcesses() {
    }

    /** Every process now; one that ends while it is read is left out. */
    static List<Proc> all() {
        List<Proc> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    of(Long.parseLong(name)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The process with this pid, or empty once it has ended. */
    static Optional<Proc> of(long pid) {
        try {
            Path file = PROC.resolve(Long.toString(pid)).resolve("stat");
            String stat = Files.readString(file, StandardCharsets.ISO_8859_1);
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            return Optional.of(new Proc(pid, stat.substring(stat.indexOf('(') + 1, close), f[0].charAt(0),
                Long.parseLong(f[1]), Long.parseLong(f[3])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone while read
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
