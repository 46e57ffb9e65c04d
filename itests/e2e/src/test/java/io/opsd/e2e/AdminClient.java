package io.opsd.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;


import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.client.InstallBundleCall;

/**
 * A NodeAdmin caller for the end-to-end tests: an Ed25519 signing key made with the JDK, its public key written as
 * the PEM file {@code trusted_keys} names, and a plaintext channel with the admin token to one node on loopback.
 */
final class AdminClient implements AutoCloseable {

    static final String TOKEN = "e2e-admin-token";

    private final KeyPair key;
    private final ManagedChannel channel;
    private final NodeAdminGrpc.NodeAdminStub async;
    final NodeAdminGrpc.NodeAdminBlockingStub blocking;

    private AdminClient(KeyPair key, int grpcPort) {
        this.key = key;
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        Metadata token = new Metadata();
        token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
        async = NodeAdminGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
        blocking = NodeAdminGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
    }

    static KeyPair newKey() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** Turns node administration on in {@code node}'s home: the token, and {@code key} as the one trusted key. */
    static void enable(NodeProcess node, KeyPair key) throws IOException {
        Path pub = node.home.resolve("admin.pub");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n",
            StandardCharsets.US_ASCII);
        Files.writeString(node.configFile("io.opsd.admin.cfg"), "admin_token = " + TOKEN + "\ntrusted_keys = " + pub
            + "\n");
    }

    static AdminClient to(NodeProcess node, KeyPair key) {
        return new AdminClient(key, node.grpcPort);
    }

    byte[] sign(byte[] bytes) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(bytes);
        return s.sign();
    }

    /** Installs {@code jar}, signed with this client's key; a refusal is thrown as its StatusRuntimeException. */
    InstallBundleResponse install(String fileName, byte[] jar) throws Exception {
        return InstallBundleCall.send(async.withDeadlineAfter(90, TimeUnit.SECONDS),
            InstallBundleCall.header(fileName, jar, sign(jar)).build(), jar).await(Duration.ofSeconds(95));
    }

    /** The sha256 NodeAdmin reports for the bundle {@code symbolicName}, or null when none is installed. */
    String installedSha(String symbolicName) {
        return blocking.withDeadlineAfter(10, TimeUnit.SECONDS).listBundles(ListBundlesRequest.getDefaultInstance())
            .getBundlesList().stream().filter(b -> b.getSymbolicName().equals(symbolicName))
            .map(b -> b.getSha256()).findFirst().orElse(null);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
