package io.opsd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;


import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.admin.UpdateConfigurationResponse;
import io.opsd.grpc.client.InstallBundleCall;

/**
 * Node administration of a running node, from a grpc-java client in this JVM on one plaintext channel to 127.0.0.1:
 * INSTALLS installs of signed bundle jars (taken in turn from the JAR arguments, so each install replaces the
 * version before it; the time is from the first chunk sent to the answer, which comes once the bundle's components
 * are active), then UPDATES configuration updates of {@code io.opsd.collector.cpu interval} alternating between two
 * values (call to answer: the answer comes once the component has taken the value). Every answer is checked.
 *
 * <p>Usage: AdminBenchmark PORT TOKEN INSTALLS UPDATES JAR SIG [JAR SIG ...]. Prints {@code RESULT op=... n=...
 * median_ms=... max_ms=... errors=...} per operation; exit code 0 when every call succeeded.
 */
public final class AdminBenchmark {

    private AdminBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Metadata token = new Metadata();
        token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + args[1]);
        int installs = Integer.parseInt(args[2]);
        int updates = Integer.parseInt(args[3]);
        List<byte[]> jars = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 4; i + 1 < args.length; i += 2) {
            jars.add(Files.readAllBytes(Path.of(args[i])));
            signatures.add(Files.readAllBytes(Path.of(args[i + 1])));
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        int errors = 0;
        try {
            NodeAdminGrpc.NodeAdminStub async = NodeAdminGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
            NodeAdminGrpc.NodeAdminBlockingStub blocking = NodeAdminGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
            List<Double> installMs = new ArrayList<>();
            int installErrors = 0;
            for (int i = 0; i < installs; i++) {
                byte[] jar = jars.get(i % jars.size());
                long start = System.nanoTime();
                try {
                    InstallBundleResponse answer = install(async, jar, signatures.get(i % jars.size()));
                    installMs.add((System.nanoTime() - start) / 1e6);
                    if (!answer.getBundle().getState().equals("ACTIVE")) {
                        System.out.println("install " + i + ": bundle not ACTIVE: " + answer);
                        installErrors++;
                    }
                } catch (Exception e) {
                    System.out.println("install " + i + " failed: " + e);
                    installErrors++;
                }
            }
            report("install", installMs, installErrors, jars.get(0).length);
            List<Double> updateMs = new ArrayList<>();
            int updateErrors = 0;
            for (int i = 0; i < updates; i++) {
                String interval = (i % 2 == 0 ? 7 : 9) + "s";
                long start = System.nanoTime();
                try {
                    UpdateConfigurationResponse answer = blocking.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .updateConfiguration(UpdateConfigurationRequest.newBuilder().setPid("io.opsd.collector.cpu")
                            .putSet("interval", interval).build());
                    updateMs.add((System.nanoTime() - start) / 1e6);
                    if (!answer.getApplied() || !interval.equals(answer.getConfiguration().getPropertiesMap()
                        .get("interval"))) {
                        System.out.println("update " + i + " not applied: " + answer);
                        updateErrors++;
                    }
                } catch (Exception e) {
                    System.out.println("update " + i + " failed: " + e);
                    updateErrors++;
                }
            }
            report("update", updateMs, updateErrors, 0);
            errors = installErrors + updateErrors;
        } finally {
            channel.shutdownNow();
        }
        System.exit(errors == 0 ? 0 : 1);
    }

    private static InstallBundleResponse install(NodeAdminGrpc.NodeAdminStub stub, byte[] jar, byte[] signature) {
        return InstallBundleCall.send(stub.withDeadlineAfter(60, TimeUnit.SECONDS),
                InstallBundleCall.header("bench.jar", jar, signature).build(), jar, 256 << 10)
            .await(Duration.ofSeconds(60));
    }

    private static void report(String op, List<Double> ms, int errors, int bytes) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        double median = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        double max = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
        System.out.printf("RESULT op=%s n=%d median_ms=%.1f max_ms=%.1f errors=%d bytes=%d%n", op, sorted.size(),
            median, max, errors, bytes);
    }
}
