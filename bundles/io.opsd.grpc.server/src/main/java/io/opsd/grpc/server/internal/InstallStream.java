package io.opsd.grpc.server.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.BundleUpload;
import io.opsd.api.admin.Caller;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleResponse;

/**
 * One InstallBundle stream: the header begins the upload (so a size over the limit is refused before any data is
 * kept), each data chunk is written, half-close finishes it on {@code finisher} (finishing waits for the bundle's
 * components), and a stream that breaks or is refused before that aborts it.
 */
final class InstallStream implements StreamObserver<InstallBundleChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(InstallStream.class);

    private final Caller caller;
    private final Supplier<java.util.Optional<BundleAdministration>> bundles;
    private final ServerCallStreamObserver<InstallBundleResponse> response;
    private final Executor finisher;
    private BundleUpload upload;
    /** Answered or handed to the finisher: later messages are ignored and nothing is aborted any more. */
    private boolean done;

    InstallStream(Caller caller, Supplier<java.util.Optional<BundleAdministration>> bundles,
                  StreamObserver<InstallBundleResponse> response, Executor finisher) {
        this.caller = caller;
        this.bundles = bundles;
        this.response = (ServerCallStreamObserver<InstallBundleResponse>) response;
        this.finisher = finisher;
        // a call closed without our answer (a malformed message refused by CheckedRequests) leaves no upload behind
        this.response.setOnCloseHandler(() -> abandon("the call was closed"));
    }

    @Override
    public synchronized void onNext(InstallBundleChunk chunk) {
        if (done) {
            return;
        }
        try {
            switch (chunk.getPartCase()) {
                case HEADER -> {
                    if (upload != null) {
                        refuse(Status.INVALID_ARGUMENT.withDescription(
                            "a second header: send the header once, as the first message, then only data"));
                        return;
                    }
                    BundleAdministration admin = bundles.get().orElse(null);
                    if (admin == null) {
                        refuse(AdminStatus.notRunning());
                        return;
                    }
                    upload = admin.beginInstall(caller, AdminMessages.header(chunk.getHeader()));
                }
                case DATA -> {
                    if (upload == null) {
                        refuse(Status.INVALID_ARGUMENT.withDescription(
                            "data before header: the first message must be the header"));
                        return;
                    }
                    byte[] data = chunk.getData().toByteArray();
                    upload.write(data, 0, data.length);
                }
                default -> refuse(Status.INVALID_ARGUMENT.withDescription(
                    "an empty chunk: each message carries either the header or data"));
            }
        } catch (AdminException e) {
            refuse(AdminStatus.of(e));
        } catch (RuntimeException e) {
            abandon("failed: " + e);
            throw e; // the exception barrier answers INTERNAL and logs it
        }
    }

    @Override
    public synchronized void onError(Throwable cut) {
        abandon("the stream was cut: " + Status.fromThrowable(cut));
    }

    @Override
    public synchronized void onCompleted() {
        if (done) {
            return;
        }
        if (upload == null) {
            refuse(Status.INVALID_ARGUMENT.withDescription("missing header: the stream ended before the header"));
            return;
        }
        BundleUpload finishing = upload;
        done = true;
        try {
            finisher.execute(() -> finish(finishing));
        } catch (RejectedExecutionException stopping) {
            finishing.abort("opsd is stopping");
            answer(Status.UNAVAILABLE.withDescription("opsd is stopping; install again once it runs"));
        }
    }

    private void finish(BundleUpload finishing) {
        try {
            InstallBundleResponse installed = AdminMessages.installed(finishing.finish());
            try {
                response.onNext(installed);
                response.onCompleted();
            } catch (RuntimeException cancelled) {
                LOG.info("bundle {} installed for {}, but the caller had gone", installed.getBundle()
                    .getSymbolicName(), caller);
            }
        } catch (AdminException e) {
            answer(AdminStatus.of(e));
        } catch (RuntimeException e) {
            LOG.error("InstallBundle for {} failed; answered INTERNAL", caller, e);
            answer(Status.INTERNAL.withDescription("internal error while installing: " + e));
        }
    }

    private void refuse(Status status) {
        abandon(status.getCode() + ": " + status.getDescription());
        answer(status);
    }

    private synchronized void abandon(String reason) {
        if (!done && upload != null) {
            upload.abort(reason);
        }
        done = true;
    }

    private void answer(Status status) {
        try {
            response.onError(status.asRuntimeException());
        } catch (RuntimeException alreadyClosed) {
            // the caller cancelled first; nothing is waiting for the answer
        }
    }
}
