package io.opsd.grpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opsd.grpc.admin.Bundle;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;

class InstallBundleCallTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHeaderThenTheJarInChunksThenTheAnswer() throws Exception {
        Node node = start(Node.Answer.INSTALL);
        byte[] jar = new byte[10_000];
        for (int i = 0; i < jar.length; i++) {
            jar[i] = (byte) i;
        }
        InstallBundleHeader header = InstallBundleCall.header("a.jar", jar, new byte[64]).build();
        assertEquals(10_000, header.getSize());
        assertEquals(InstallBundleCall.sha256(jar), header.getSha256());

        InstallBundleResponse answer = InstallBundleCall.send(stub(), header, jar, 4096).await(WAIT);

        assertEquals("a.jar", answer.getBundle().getSymbolicName());
        assertEquals(header, node.chunks.get(0).getHeader());
        assertEquals(List.of(4096, 4096, 1808), node.chunks.subList(1, node.chunks.size()).stream()
            .map(c -> c.getData().size()).toList());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        node.chunks.subList(1, node.chunks.size()).forEach(c -> received.writeBytes(c.getData().toByteArray()));
        assertEquals(InstallBundleCall.sha256(jar), InstallBundleCall.sha256(received.toByteArray()));
    }

    @Test
    void aRefusalIsThrownWithItsStatusAndStopsTheUpload() throws Exception {
        Node node = start(Node.Answer.REFUSE_AFTER_HEADER);
        byte[] jar = new byte[64 << 10];
        SingleAnswer<InstallBundleResponse> answer = InstallBundleCall.send(stub(),
            InstallBundleCall.header("b.jar", jar, new byte[64]).build(), jar, 1);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> answer.await(WAIT));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertEquals("unsigned", refused.getStatus().getDescription());
        assertTrue(node.chunks.size() < jar.length, "stopped sending: " + node.chunks.size() + " chunks sent");
    }

    @Test
    void aCallThatEndsWithoutAnAnswerFailsInsteadOfHanging() throws Exception {
        start(Node.Answer.NOTHING);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> InstallBundleCall.send(stub(),
            InstallBundleCall.header("c.jar", new byte[1], new byte[64]).build(), new byte[1]).await(WAIT));
        // grpc-java itself fails a client stream whose server completes without a message
        assertTrue(e.getStatus().getCode() != Status.Code.OK && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED,
            e.toString());
    }

    @Test
    void noAnswerWithinTheWaitIsDeadlineExceeded() throws Exception {
        start(Node.Answer.HOLD);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> InstallBundleCall.send(stub(),
            InstallBundleCall.header("d.jar", new byte[1], new byte[64]).build(), new byte[1])
            .await(Duration.ofMillis(200)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    }

    @Test
    void aChunkMustHoldAByte() {
        channel = InProcessChannelBuilder.forName("none").build();
        assertThrows(IllegalArgumentException.class, () -> InstallBundleCall.send(stub(),
            InstallBundleHeader.getDefaultInstance(), new byte[1], 0));
    }

    private NodeAdminGrpc.NodeAdminStub stub() {
        return NodeAdminGrpc.newStub(channel);
    }

    private Node start(Node.Answer answer) throws Exception {
        Node node = new Node(answer);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(node).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return node;
    }

    /** NodeAdmin's install stream, answering as told. */
    private static final class Node extends NodeAdminGrpc.NodeAdminImplBase {

        enum Answer { INSTALL, REFUSE_AFTER_HEADER, NOTHING, HOLD }

        final List<InstallBundleChunk> chunks = new CopyOnWriteArrayList<>();
        private final Answer answer;

        Node(Answer answer) {
            this.answer = answer;
        }

        @Override
        public StreamObserver<InstallBundleChunk> installBundle(StreamObserver<InstallBundleResponse> response) {
            return new StreamObserver<>() {
                private boolean ended;

                @Override
                public void onNext(InstallBundleChunk chunk) {
                    chunks.add(chunk);
                    if (answer == Answer.REFUSE_AFTER_HEADER && !ended) {
                        ended = true;
                        response.onError(Status.PERMISSION_DENIED.withDescription("unsigned").asRuntimeException());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    switch (answer) {
                        case INSTALL -> {
                            response.onNext(InstallBundleResponse.newBuilder().setBundle(Bundle.newBuilder()
                                .setSymbolicName(chunks.get(0).getHeader().getFileName())).build());
                            response.onCompleted();
                        }
                        case NOTHING -> response.onCompleted();
                        default -> {
                        }
                    }
                }
            };
        }
    }
}
