package io.opsd.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Resolves an agent's {@code user} key into the account setpriv switches to, and refuses what setpriv could not do.
 * Only opsd running as root can run an agent as another user; naming opsd's own user is allowed and changes nothing.
 */
final class Accounts {

    /** A user name as useradd accepts it (a trailing '$' marks a Samba machine account), or a numeric uid. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?");
    private static final Pattern UID = Pattern.compile("\\d{1,10}");
    private static final Path GETENT = Path.of("/usr/bin/getent");
    private static final long LOOKUP_SECONDS = 10;

    /** A passwd entry: the name, the uid and the primary gid. */
    record Account(String name, long uid, long gid) {
    }

    /** Finds a passwd entry by name or numeric uid. */
    @FunctionalInterface
    interface Lookup {
        Optional<Account> find(String nameOrUid);
    }

    private final Lookup lookup;
    private final long opsdUid;

    Accounts(Lookup lookup, long opsdUid) {
        this.lookup = lookup;
        this.opsdUid = opsdUid;
    }

    /** The host's accounts (through NSS, so LDAP or sssd users count), seen from opsd's effective uid. */
    static Accounts system() {
        return new Accounts(Accounts::getent, effectiveUid());
    }

    /**
     * The account to switch to for {@code user}, or empty when the agent runs as opsd's own user (empty, or opsd's
     * user named). Throws {@link IllegalArgumentException} saying what is wrong and what to do.
     */
    Optional<Account> runAs(String user) {
        String value = user == null ? "" : user.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!NAME.matcher(value).matches() && !UID.matcher(value).matches()) {
            throw new IllegalArgumentException("is not a user name; use a name such as filebeat (lower case letters,"
                + " digits, '_' or '-', at most 32) or a numeric uid");
        }
        Account account = lookup.find(value).orElseThrow(() -> new IllegalArgumentException("is not a user on this"
            + " host; create the user, or leave user empty to run the agent as opsd's own user"));
        if (account.uid() == opsdUid) {
            return Optional.empty();
        }
        if (opsdUid != 0) {
            throw new IllegalArgumentException("cannot be used: opsd runs as uid " + opsdUid + ", not as root, so it"
                + " cannot start a process as another user; leave user empty, or run opsd as root"
                + " (dist/systemd/opsd-root-agents.conf)");
        }
        return Optional.of(account);
    }

    /** {@code getent passwd <name or uid>}, run directly (no shell) on a value checked against NAME or UID. */
    static Optional<Account> getent(String nameOrUid) {
        if (!Files.isExecutable(GETENT)) {
            throw new IllegalArgumentException("cannot be looked up: " + GETENT + " is missing (Debian package"
                + " libc-bin)");
        }
        try {
            Process p = new ProcessBuilder(List.of(GETENT.toString(), "passwd", nameOrUid))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // one passwd line fits the pipe's buffer: wait first, so a hung NSS source cannot block the read
            if (!p.waitFor(LOOKUP_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("cannot be looked up: getent passwd did not answer within "
                    + LOOKUP_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? parse(out) : Optional.empty(); // exit 2: no such entry
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be looked up: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("cannot be looked up: interrupted");
        }
    }

    /** The first line of passwd(5) output: {@code name:password:uid:gid:gecos:home:shell}. */
    static Optional<Account> parse(String passwd) {
        String line = passwd.lines().findFirst().orElse("");
        String[] f = line.split(":", -1);
        if (f.length < 4 || !UID.matcher(f[2]).matches() || !UID.matcher(f[3]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Account(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
    }

    /** opsd's effective uid, from the second field of {@code Uid:} in /proc/self/status. */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read opsd's uid from /proc/self/status: " + e, e);
        }
        throw new IllegalStateException("/proc/self/status has no Uid: line");
    }
}
