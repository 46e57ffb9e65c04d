package io.opsd.manager.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.opsd.grpc.tls.PemFiles;

/** The channel to the Manager: TLS when a CA is configured (never a fallback to plaintext), keepalive, limits. */
final class Channels {

    private static final Metadata.Key<String> AUTHORIZATION =
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private Channels() {
    }

    static ManagedChannel open(LinkSettings settings) throws IOException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(settings.address())
            .maxInboundMessageSize(10 << 20)
            .keepAliveTime(45, TimeUnit.SECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS);
        if (settings.tls().isPresent()) {
            LinkSettings.Tls tls = settings.tls().get();
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(tls.ca().toFile());
            if (tls.certificate().isPresent()) {
                ssl.keyManager(PemFiles.privateKey(tls.key().orElseThrow()),
                    PemFiles.certificates(tls.certificate().get()).toArray(new X509Certificate[0]));
            }
            try {
                builder.sslContext(ssl.build()).useTransportSecurity();
            } catch (javax.net.ssl.SSLException e) {
                throw new IOException(e.getMessage(), e);
            }
        } else {
            builder.usePlaintext();
        }
        return builder.build();
    }

    /** The bearer token as call credentials; none when no token is set. */
    static CallCredentials credentials(LinkSettings settings) {
        String token = settings.token();
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                if (token.isEmpty()) {
                    applier.apply(new Metadata());
                    return;
                }
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

}
