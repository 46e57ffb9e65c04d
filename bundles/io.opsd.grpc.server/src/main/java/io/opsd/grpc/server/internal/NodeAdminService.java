package io.opsd.grpc.server.internal;

import java.util.Optional;
import java.util.concurrent.Executor;

import io.grpc.stub.StreamObserver;
import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.Caller;
import io.opsd.grpc.admin.DeleteConfigurationRequest;
import io.opsd.grpc.admin.DeleteConfigurationResponse;
import io.opsd.grpc.admin.InstallBundleChunk;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.ListBundlesRequest;
import io.opsd.grpc.admin.ListBundlesResponse;
import io.opsd.grpc.admin.ListConfigurationsRequest;
import io.opsd.grpc.admin.ListConfigurationsResponse;
import io.opsd.grpc.admin.NodeAdminGrpc;
import io.opsd.grpc.admin.UninstallBundleRequest;
import io.opsd.grpc.admin.UninstallBundleResponse;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.grpc.admin.UpdateConfigurationResponse;

/**
 * {@code opsd.admin.v1.NodeAdmin}: translates each call to the transport-free admin services. The caller was
 * authenticated by {@link AdminAuthentication}; a service that is not bound right now is UNAVAILABLE.
 */
final class NodeAdminService extends NodeAdminGrpc.NodeAdminImplBase {

    private final AdminServices services;
    private final Executor finisher;

    /** {@code finisher} runs {@code BundleUpload.finish()}, which blocks up to the activation timeout. */
    NodeAdminService(AdminServices services, Executor finisher) {
        this.services = services;
        this.finisher = finisher;
    }

    @Override
    public void listBundles(ListBundlesRequest request, StreamObserver<ListBundlesResponse> response) {
        answer(response, () -> {
            var admin = services.bundles().orElseThrow(AdminUnavailable::new);
            ListBundlesResponse.Builder b = ListBundlesResponse.newBuilder();
            admin.bundles().forEach(v -> b.addBundles(AdminMessages.bundle(v)));
            return b.build();
        });
    }

    @Override
    public StreamObserver<InstallBundleChunk> installBundle(StreamObserver<InstallBundleResponse> response) {
        return new InstallStream(caller(), services::bundles, response, finisher);
    }

    @Override
    public void uninstallBundle(UninstallBundleRequest request, StreamObserver<UninstallBundleResponse> response) {
        answer(response, () -> {
            var admin = services.bundles().orElseThrow(AdminUnavailable::new);
            var removed = admin.uninstall(caller(), request.getSymbolicName());
            return UninstallBundleResponse.newBuilder().setSymbolicName(removed.symbolicName())
                .setVersion(removed.version()).build();
        });
    }

    @Override
    public void listConfigurations(ListConfigurationsRequest request,
                                   StreamObserver<ListConfigurationsResponse> response) {
        answer(response, () -> {
            var admin = services.configurations().orElseThrow(AdminUnavailable::new);
            ListConfigurationsResponse.Builder b = ListConfigurationsResponse.newBuilder();
            admin.configurations(request.getPidPrefix()).forEach(v -> b.addConfigurations(
                AdminMessages.configuration(v)));
            return b.build();
        });
    }

    @Override
    public void updateConfiguration(UpdateConfigurationRequest request,
                                    StreamObserver<UpdateConfigurationResponse> response) {
        answer(response, () -> {
            var admin = services.configurations().orElseThrow(AdminUnavailable::new);
            var change = admin.update(caller(), AdminMessages.update(request));
            UpdateConfigurationResponse.Builder b = UpdateConfigurationResponse.newBuilder()
                .addAllProblems(change.problems()).setApplied(change.applied());
            Optional.ofNullable(change.configuration()).map(AdminMessages::configuration)
                .ifPresent(b::setConfiguration);
            return b.build();
        });
    }

    @Override
    public void deleteConfiguration(DeleteConfigurationRequest request,
                                    StreamObserver<DeleteConfigurationResponse> response) {
        answer(response, () -> {
            var admin = services.configurations().orElseThrow(AdminUnavailable::new);
            return DeleteConfigurationResponse.newBuilder().setDeleted(admin.delete(caller(), request.getPid()))
                .build();
        });
    }

    private static Caller caller() {
        Caller caller = AdminAuthentication.CALLER.get();
        if (caller == null) {
            throw new IllegalStateException("NodeAdmin served without AdminAuthentication");
        }
        return caller;
    }

    private static <A> void answer(StreamObserver<A> response, Call<A> call) {
        A answer;
        try {
            answer = call.run();
        } catch (AdminException e) {
            response.onError(AdminStatus.of(e).asRuntimeException());
            return;
        } catch (AdminUnavailable e) {
            response.onError(AdminStatus.notRunning().asRuntimeException());
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }

    @FunctionalInterface
    private interface Call<A> {
        A run() throws AdminException;
    }

    /** The admin service a call needs is not bound: the admin bundle is stopped or not installed. */
    private static final class AdminUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AdminUnavailable() {
            super(AdminStatus.NOT_RUNNING, null, false, false);
        }
    }
}
