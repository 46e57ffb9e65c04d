package io.opsd.grpc.server.internal;

import java.time.Duration;

import io.opsd.api.admin.AttributeView;
import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.ComponentView;
import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.admin.InstallHeader;
import io.opsd.api.admin.InstallResult;
import io.opsd.grpc.admin.Attribute;
import io.opsd.grpc.admin.Bundle;
import io.opsd.grpc.admin.Component;
import io.opsd.grpc.admin.Configuration;
import io.opsd.grpc.admin.InstallBundleHeader;
import io.opsd.grpc.admin.InstallBundleResponse;
import io.opsd.grpc.admin.UpdateConfigurationRequest;
import io.opsd.api.admin.ConfigurationUpdate;

/** The API's records as NodeAdmin messages and back; the order of lists is the admin side's. */
final class AdminMessages {

    private AdminMessages() {
    }

    static Bundle bundle(BundleView view) {
        Bundle.Builder b = Bundle.newBuilder().setId(view.id()).setSymbolicName(text(view.symbolicName()))
            .setVersion(text(view.version())).setState(text(view.state())).setOrigin(text(view.origin()))
            .setSha256(text(view.sha256()));
        for (ComponentView c : view.components()) {
            b.addComponents(Component.newBuilder().setName(text(c.name())).setState(text(c.state()))
                .setFailure(text(c.failure())));
        }
        return b.build();
    }

    static InstallBundleResponse installed(InstallResult result) {
        return InstallBundleResponse.newBuilder().setBundle(bundle(result.bundle())).setReplaced(result.replaced())
            .setPreviousVersion(text(result.previousVersion())).build();
    }

    static Configuration configuration(ConfigurationView view) {
        Configuration.Builder c = Configuration.newBuilder().setPid(text(view.pid())).setSource(text(view.source()));
        view.properties().forEach((k, v) -> c.putProperties(k, text(v)));
        for (AttributeView a : view.attributes()) {
            c.addAttributes(Attribute.newBuilder().setId(text(a.id())).setType(text(a.type()))
                .setDefaultValue(text(a.defaultValue())).setDescription(text(a.description())));
        }
        return c.build();
    }

    /** {@code activation_timeout_seconds} 0 is {@link Duration#ZERO}: the admin side applies its default. */
    static InstallHeader header(InstallBundleHeader h) {
        return new InstallHeader(h.getFileName(), h.getSize(), h.getSha256(), h.getSignature().toByteArray(),
            Duration.ofSeconds(Math.max(0, h.getActivationTimeoutSeconds())));
    }

    static ConfigurationUpdate update(UpdateConfigurationRequest r) {
        return new ConfigurationUpdate(r.getPid(), r.getSetMap(), r.getRemoveList(), r.getDryRun());
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
