package io.opsd.grpc.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.admin.Bundle;
import io.opsd.grpc.admin.Component;
import io.opsd.grpc.admin.Configuration;
import io.opsd.grpc.admin.DeleteConfigurationRequest;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UninstallBundleRequest;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.admin.UpdateConfigurationResponse;

/** The node administration commands of {@code ctl}; a gRPC failure is thrown to {@link Ctl}, which maps it. */
final class AdminCommands {

    private static final Duration READ = Duration.ofSeconds(30);
    /** an install waits for activation (30 s by default) and a configuration change for the component */
    private static final Duration CHANGE = Duration.ofSeconds(90);
    private static final int CHUNK = 64 << 10;
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
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "SYMBOLIC NAME", "VERSION", "STATE", "ORIGIN", "COMPONENTS"});
        for (Bundle b : stub(READ).listBundles(ListBundlesRequest.getDefaultInstance()).getBundlesList()) {
            rows.add(new String[] {Long.toString(b.getId()), b.getSymbolicName(), b.getVersion(), b.getState(),
                b.getOrigin(), components(b)});
        }
        Table.lines(rows).forEach(out::println);
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
        InstallBundleHeader header = InstallBundleHeader.newBuilder().setFileName(jar.getFileName().toString())
            .setSize(bytes.length).setSha256(sha256(bytes)).setSignature(ByteString.copyFrom(signature))
            .setActivationTimeoutSeconds(options.activationTimeout()).build();
        Duration deadline = options.deadline(Duration.ofSeconds(Math.max(30, options.activationTimeout()) + 60));
        InstallBundleResponse installed = send(header, bytes, deadline);
        Bundle b = installed.getBundle();
        out.println("installed " + b.getSymbolicName() + " " + b.getVersion()
            + (installed.getReplaced() ? " (replaced " + installed.getPreviousVersion() + ")" : "") + ": "
            + b.getState() + ", components " + components(b));
        componentLines(b).forEach(out::println);
        return Ctl.OK;
    }

    private InstallBundleResponse send(InstallBundleHeader header, byte[] bytes, Duration deadline) {
        CompletableFuture<InstallBundleResponse> answer = new CompletableFuture<>();
        StreamObserver<InstallBundleChunk> request = NodeAdminGrpc.newStub(channel)
            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).installBundle(new StreamObserver<>() {
                @Override
                public void onNext(InstallBundleResponse value) {
                    answer.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    answer.completeExceptionally(Status.INTERNAL.withDescription("the node answered nothing")
                        .asRuntimeException());
                }
            });
        request.onNext(InstallBundleChunk.newBuilder().setHeader(header).build());
        for (int at = 0; at < bytes.length && !answer.isDone(); at += CHUNK) {
            request.onNext(InstallBundleChunk.newBuilder()
                .setData(ByteString.copyFrom(bytes, at, Math.min(CHUNK, bytes.length - at))).build());
        }
        request.onCompleted();
        try {
            return answer.get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s : Status.fromThrowable(e.getCause())
                .asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer within " + deadline).asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }

    private static List<String> componentLines(Bundle b) {
        if (b.getComponentsCount() == 0) {
            return List.of();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  COMPONENT", "STATE", "FAILURE"});
        for (Component c : b.getComponentsList()) {
            rows.add(new String[] {"  " + c.getName(), c.getState(), c.getFailure().isEmpty() ? "-" : c.getFailure()});
        }
        return Table.lines(rows);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
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
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PID", "SOURCE"});
        list("").forEach(c -> rows.add(new String[] {c.getPid(), c.getSource()}));
        Table.lines(rows).forEach(out::println);
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
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ATTRIBUTE", "TYPE", "DEFAULT", "DESCRIPTION"});
            found.get().getAttributesList().forEach(a -> rows.add(new String[] {a.getId(), a.getType(),
                a.getDefaultValue().isEmpty() ? "-" : a.getDefaultValue(), a.getDescription()}));
            out.println();
            Table.lines(rows).forEach(out::println);
        }
        return Ctl.OK;
    }

    private void print(Configuration c) {
        out.println(c.getPid() + " (" + c.getSource() + ")");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "VALUE"});
        new TreeMap<>(c.getPropertiesMap()).forEach((k, v) -> rows.add(new String[] {k, v}));
        Table.lines(rows).forEach(out::println);
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
