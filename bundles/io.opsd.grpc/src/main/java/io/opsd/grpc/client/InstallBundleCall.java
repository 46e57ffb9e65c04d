package io.opsd.grpc.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.google.protobuf.ByteString;

import io.grpc.stub.StreamObserver;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;

/** A bundle sent to NodeAdmin's {@code InstallBundle}: the header, the jar in chunks, then the end of the stream. */
public final class InstallBundleCall {

    /** The chunk size: well under gRPC's message limit, and few enough messages for a large jar. */
    public static final int CHUNK = 64 << 10;

    private InstallBundleCall() {
    }

    /** The header of {@code jar}: its file name, size, SHA-256 and the raw Ed25519 {@code signature} of it. */
    public static InstallBundleHeader.Builder header(String fileName, byte[] jar, byte[] signature) {
        return InstallBundleHeader.newBuilder().setFileName(fileName).setSize(jar.length).setSha256(sha256(jar))
            .setSignature(ByteString.copyFrom(signature));
    }

    /** {@link #send(NodeAdminGrpc.NodeAdminStub, InstallBundleHeader, byte[], int)} in chunks of {@value #CHUNK}. */
    public static SingleAnswer<InstallBundleResponse> send(NodeAdminGrpc.NodeAdminStub stub,
                                                           InstallBundleHeader header, byte[] jar) {
        return send(stub, header, jar, CHUNK);
    }

    /**
     * Sends {@code jar} on a new {@code InstallBundle} stream of {@code stub}, which carries the caller's deadline
     * and credentials. Stops sending once the node has answered (a refusal may come before the last chunk).
     *
     * @return the node's answer, to wait on
     */
    public static SingleAnswer<InstallBundleResponse> send(NodeAdminGrpc.NodeAdminStub stub,
                                                           InstallBundleHeader header, byte[] jar, int chunk) {
        if (chunk <= 0) {
            throw new IllegalArgumentException("chunk must be positive, not " + chunk);
        }
        SingleAnswer<InstallBundleResponse> answer = new SingleAnswer<>();
        StreamObserver<InstallBundleChunk> upload = stub.installBundle(answer);
        upload.onNext(InstallBundleChunk.newBuilder().setHeader(header).build());
        for (int at = 0; at < jar.length && !answer.future().isDone(); at += chunk) {
            upload.onNext(InstallBundleChunk.newBuilder()
                .setData(ByteString.copyFrom(jar, at, Math.min(chunk, jar.length - at))).build());
        }
        upload.onCompleted();
        return answer;
    }

    /** The SHA-256 of {@code bytes} in lowercase hex, as the header carries it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
    }
}
