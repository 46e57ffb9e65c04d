package io.opsd.grpc.ctl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What {@code ctl} was asked: the node's address, token, CA and call timeout, whether help was asked for, and the
 * command words. Every flag is read with one dash or two, as {@code -flag value} or {@code -flag=value}, the way
 * the old daemonctl (Go's flag package) read them, and anywhere on the line: an agent id never starts with a dash.
 *
 * @param timeout the deadline of every call when given; otherwise each command has its own
 * @param adminToken NodeAdmin's bearer token: {@code --admin-token}, else {@code admin_token} of the home's
 *     io.opsd.admin.cfg, else the environment's {@code OPSD_ADMIN_TOKEN}
 * @param signature the file holding the raw 64-byte Ed25519 signature of the bundle to install
 * @param activationTimeout {@code --timeout-activation} in seconds; 0 leaves the node's default
 */
record CtlOptions(String target, String token, String ca, Optional<Duration> timeout, boolean help, List<String> words,
                  String adminToken, String signature, int activationTimeout, boolean dryRun) {

    static final String ADMIN_TOKEN_ENV = "OPSD_ADMIN_TOKEN";
    /** The commands that call NodeAdmin, with the admin token; every other one calls DaemonService. */
    static final Set<String> ADMIN_COMMANDS = Set.of("bundles", "install", "uninstall", "config");

    static CtlOptions parse(String[] args, Map<String, String> defaults) {
        return parse(args, defaults, Map.of());
    }

    static CtlOptions parse(String[] args, Map<String, String> defaults, Map<String, String> env) {
        return parse(args, configDir -> NodeDefaults.of(defaults), env);
    }

    static final String DEFAULT_TARGET = "127.0.0.1:9091";
    private static final Pattern HOST_PORT = Pattern.compile(".+:(\\d{1,5})");

    /**
     * Reads the line, then takes what it does not give from the {@code defaults} of its {@code --config-dir}.
     *
     * @throws IllegalArgumentException on a wrong line
     * @throws IllegalStateException when the command needs a default that cannot be substituted
     */
    static CtlOptions parse(String[] args, Function<Optional<Path>, NodeDefaults> defaults, Map<String, String> env) {
        String target = null;
        String token = null;
        String ca = null;
        String adminToken = null;
        Optional<Path> configDir = Optional.empty();
        Optional<Duration> timeout = Optional.empty();
        boolean help = false;
        String signature = "";
        int activationTimeout = 0;
        boolean dryRun = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                words.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            String name = flag.substring(flag.startsWith("--") ? 2 : 1);
            switch (name) {
                case "h", "help" -> help = true;
                case "address", "target" -> target = address(flag, inline != null ? inline : next(args, ++i, flag));
                case "timeout" -> timeout = Optional.of(timeout(flag, inline != null ? inline : next(args, ++i, flag)));
                case "token" -> token = inline != null ? inline : next(args, ++i, flag);
                case "ca" -> ca = inline != null ? inline : next(args, ++i, flag);
                case "admin-token" -> adminToken = inline != null ? inline : next(args, ++i, flag);
                case "signature" -> signature = inline != null ? inline : next(args, ++i, flag);
                case "timeout-activation" -> activationTimeout = seconds(flag,
                    inline != null ? inline : next(args, ++i, flag));
                case "dry-run" -> dryRun = true;
                case "config-dir" -> configDir = Optional.of(Path.of(inline != null ? inline : next(args, ++i, flag)));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        NodeDefaults node = defaults.apply(configDir);
        boolean runs = !help && !words.isEmpty();
        boolean admin = runs && ADMIN_COMMANDS.contains(words.get(0));
        String envAdminToken = env.getOrDefault(ADMIN_TOKEN_ENV, "");
        return new CtlOptions(
            target != null ? target : node.value(NodeDefaults.TARGET, runs).orElse(DEFAULT_TARGET),
            token != null ? token : node.value(NodeDefaults.TOKEN, runs && !admin).orElse(""),
            ca != null ? ca : node.value(NodeDefaults.CA, runs).orElse(""),
            timeout, help, List.copyOf(words),
            adminToken != null ? adminToken
                : node.value(NodeDefaults.ADMIN_TOKEN, admin && envAdminToken.isEmpty()).orElse(envAdminToken),
            signature, activationTimeout, dryRun);
    }

    /** The deadline of one call: the given timeout, or the command's own. */
    Duration deadline(Duration commandDefault) {
        return timeout.orElse(commandDefault);
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static String address(String flag, String value) {
        var m = HOST_PORT.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
            throw new IllegalArgumentException(flag + " needs HOST:PORT (like 127.0.0.1:9091), not \"" + value + "\"");
        }
        return value;
    }

    private static int seconds(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 600) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(flag + " needs whole seconds from 1 to 600, not \"" + value + "\"");
    }

    private static Duration timeout(String flag, String value) {
        try {
            return GoDuration.parsePositive(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }
}
