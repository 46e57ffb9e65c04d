package io.opsd.grpc.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;


import io.grpc.ManagedChannel;
import io.opsd.api.text.TextTable;
import io.opsd.grpc.admin.Bundle;
import io.opsd.grpc.admin.Component;
import io.opsd.grpc.admin.Configuration;
import io.opsd.grpc.admin.DeleteConfigurationRequest;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UninstallBundleRequest;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.admin.UpdateConfigurationResponse;
import io.opsd.grpc.client.InstallBundleCall;

/** The node administration commands of {@code ctl}; a gRPC failure is thrown to {@link Ctl}, which maps it. */
final class AdminCommands {

    private static final Duration READ = Duration.ofSeconds(30);
    /** an install waits for activation (30 s by default) and a configuration change for the component */
    private static final Duration CHANGE = Duration.ofSeconds(90);
    static final int SIGNATURE_BYTES = 64;

    private final ManagedChannel channel;
    private final CtlOptions options;
    private final PrintStream out;
    private final PrintStream err;

    AdminCommands(ManagedChannel channel, CtlOptions options, PrintStream out, PrintStream err) {
        this.channel = channel;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    int run(List<String> w) {
        return switch (w.get(0)) {
            case "bundles" -> w.size() == 1 ? bundles() : usage("bundles takes no arguments");
            case "install" -> w.size() == 2 ? install(Path.of(w.get(1)))
                : usage("install needs one jar file and --signature FILE");
            case "uninstall" -> w.size() == 2 ? uninstall(w.get(1)) : usage("uninstall needs one symbolic name");
            default -> config(w.subList(1, w.size()));
        };
    }

    private int config(List<String> w) {
        if (w.isEmpty()) {
            return configurations();
        }
        return switch (w.get(0)) {
            case "set" -> w.size() >= 3 ? set(w.get(1), w.subList(2, w.size()))
                : usage("config set needs a pid and KEY=VALUE...");
            case "unset" -> w.size() >= 3 ? update(UpdateConfigurationRequest.newBuilder().setPid(w.get(1))
                .addAllRemove(w.subList(2, w.size())).setDryRun(options.dryRun()).build())
                : usage("config unset needs a pid and KEY...");
            case "delete" -> w.size() == 2 ? delete(w.get(1)) : usage("config delete needs one pid");
            default -> w.size() == 1 ? configuration(w.get(0))
                : usage("config takes one pid, or set, unset or delete; try 'ctl --help'");
        };
    }

    private int usage(String message) {
        err.println("opsd ctl: " + message);
        return Ctl.USAGE;
    }

    private NodeAdminGrpc.NodeAdminBlockingStub stub(Duration deadline) {
        return NodeAdminGrpc.newBlockingStub(channel).withDeadlineAfter(options.deadline(deadline).toNanos(),
            TimeUnit.NANOSECONDS);
    }

    private int bundles() {
        TextTable table = new TextTable("ID", "SYMBOLIC NAME", "VERSION", "STATE", "ORIGIN", "COMPONENTS");
        for (Bundle b : stub(READ).listBundles(ListBundlesRequest.getDefaultInstance()).getBundlesList()) {
            table.row(b.getId(), b.getSymbolicName(), b.getVersion(), b.getState(), b.getOrigin(), components(b));
        }
        table.print(out);
        return Ctl.OK;
    }

    /** "-" without components, else how many run (ACTIVE or SATISFIED) of how many. */
    static String components(Bundle b) {
        if (b.getComponentsCount() == 0) {
            return "-";
        }
        long running = b.getComponentsList().stream()
            .filter(c -> c.getState().equals("ACTIVE") || c.getState().equals("SATISFIED")).count();
        return running + "/" + b.getComponentsCount() + " running";
    }

    private int install(Path jar) {
        if (options.signature().isEmpty()) {
            return usage("install needs --signature FILE (the raw 64-byte Ed25519 signature of the jar;"
                + " dist/sign-bundle sign JAR KEY writes JAR.sig)");
        }
        byte[] bytes;
        byte[] signature;
        try {
            bytes = Files.readAllBytes(jar);
            signature = Files.readAllBytes(Path.of(options.signature()));
        } catch (IOException e) {
            return usage("cannot read " + e.getMessage());
        }
        if (signature.length != SIGNATURE_BYTES) {
            return usage(options.signature() + " holds " + signature.length + " bytes, not a raw 64-byte Ed25519"
                + " signature (openssl pkeyutl -sign -rawin writes one)");
        }
        InstallBundleHeader header = InstallBundleCall.header(jar.getFileName().toString(), bytes, signature)
            .setActivationTimeoutSeconds(options.activationTimeout()).build();
        Duration deadline = options.deadline(Duration.ofSeconds(Math.max(30, options.activationTimeout()) + 60));
        InstallBundleResponse installed = InstallBundleCall.send(NodeAdminGrpc.newStub(channel)
            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS), header, bytes)
            .await(deadline.plusSeconds(5));
        Bundle b = installed.getBundle();
        out.println("installed " + b.getSymbolicName() + " " + b.getVersion()
            + (installed.getReplaced() ? " (replaced " + installed.getPreviousVersion() + ")" : "") + ": "
            + b.getState() + ", components " + components(b));
        componentLines(b).forEach(out::println);
        return Ctl.OK;
    }

    private static List<String> componentLines(Bundle b) {
        if (b.getComponentsCount() == 0) {
            return List.of();
        }
        TextTable table = new TextTable("COMPONENT", "STATE", "FAILURE");
        for (Component c : b.getComponentsList()) {
            table.row(c.getName(), c.getState(), c.getFailure());
        }
        return table.lines().stream().map(line -> "  " + line).toList();
    }

    private int uninstall(String name) {
        var removed = stub(CHANGE).uninstallBundle(UninstallBundleRequest.newBuilder().setSymbolicName(name).build());
        out.println("uninstalled " + removed.getSymbolicName() + " " + removed.getVersion());
        return Ctl.OK;
    }

    private List<Configuration> list(String prefix) {
        return stub(READ).listConfigurations(ListConfigurationsRequest.newBuilder().setPidPrefix(prefix).build())
            .getConfigurationsList();
    }

    private int configurations() {
        TextTable table = new TextTable("PID", "SOURCE");
        list("").forEach(c -> table.row(c.getPid(), c.getSource()));
        table.print(out);
        return Ctl.OK;
    }

    private int configuration(String pid) {
        var found = list(pid).stream().filter(c -> c.getPid().equals(pid)).findFirst();
        if (found.isEmpty()) {
            err.println("opsd ctl: no configuration " + pid + " (ctl config lists the pids)");
            return Ctl.REFUSED;
        }
        print(found.get());
        if (found.get().getAttributesCount() > 0) {
            TextTable table = new TextTable("ATTRIBUTE", "TYPE", "DEFAULT", "DESCRIPTION");
            found.get().getAttributesList()
                .forEach(a -> table.row(a.getId(), a.getType(), a.getDefaultValue(), a.getDescription()));
            out.println();
            table.print(out);
        }
        return Ctl.OK;
    }

    private void print(Configuration c) {
        out.println(c.getPid() + " (" + c.getSource() + ")");
        TextTable table = new TextTable("KEY", "VALUE");
        new TreeMap<>(c.getPropertiesMap()).forEach(table::row);
        table.print(out);
    }

    private int set(String pid, List<String> assignments) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                return usage("\"" + a + "\" is not KEY=VALUE");
            }
            values.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return update(UpdateConfigurationRequest.newBuilder().setPid(pid).putAllSet(values)
            .setDryRun(options.dryRun()).build());
    }

    private int update(UpdateConfigurationRequest request) {
        UpdateConfigurationResponse answer = stub(CHANGE).updateConfiguration(request);
        if (!answer.getProblemsList().isEmpty()) {
            err.println("opsd ctl: " + request.getPid() + " not changed:");
            answer.getProblemsList().forEach(p -> err.println("  " + p));
            return Ctl.REFUSED;
        }
        if (request.getDryRun()) {
            out.println(request.getPid() + ": valid; nothing changed (dry run). It would be:");
        } else if (!answer.getApplied()) {
            err.println("opsd ctl: " + request.getPid() + " was not applied");
            return Ctl.REFUSED;
        } else {
            out.println(request.getPid() + ": applied");
        }
        if (answer.hasConfiguration()) {
            print(answer.getConfiguration());
        }
        return Ctl.OK;
    }

    private int delete(String pid) {
        boolean deleted = stub(CHANGE).deleteConfiguration(DeleteConfigurationRequest.newBuilder().setPid(pid).build())
            .getDeleted();
        out.println(deleted ? pid + ": admin layer deleted; the file's values apply again"
            : pid + ": had no admin layer; nothing changed");
        return Ctl.OK;
    }
}
