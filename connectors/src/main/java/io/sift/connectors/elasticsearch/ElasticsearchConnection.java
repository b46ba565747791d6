package io.sift.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest_client.RestClientTransport;

import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

import javax.net.ssl.SSLContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * How to reach Elasticsearch: host URLs, optional basic auth or API key, optional CA certificate
 * to trust for https, timeouts. Serializable (it travels with the sink to the task managers); the
 * CA certificate is read when the connection is built, so the file only has to exist where the job
 * is built.
 *
 * <pre>{@code
 * ElasticsearchConnection es = ElasticsearchConnection.builder()
 *     .setHosts("https://es-1:9200", "https://es-2:9200")
 *     .setApiKey(System.getenv("SIFT_ES_API_KEY"))
 *     .setTrustedCaCertificate(Path.of("/etc/sift/es-ca.crt"))
 *     .build();
 * }</pre>
 */
public final class ElasticsearchConnection implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> hosts;
    private final String username;
    private final String password;
    private final String apiKey;
    private final byte[] caCertificatePem;
    private final long connectTimeoutMs;
    private final long socketTimeoutMs;

    private ElasticsearchConnection(Builder b) {
        this.hosts = List.copyOf(b.hosts);
        this.username = b.username;
        this.password = b.password;
        this.apiKey = b.apiKey;
        this.caCertificatePem = b.caCertificatePem;
        this.connectTimeoutMs = b.connectTimeout.toMillis();
        this.socketTimeoutMs = b.socketTimeout.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A connection without authentication, e.g. {@code forUrl("http://127.0.0.1:9200")}. */
    public static ElasticsearchConnection forUrl(String... urls) {
        return builder().setHosts(urls).build();
    }

    public List<String> hosts() {
        return hosts;
    }

    /** A new low-level REST client; the caller closes it. */
    public RestClient createRestClient() {
        HttpHost[] httpHosts = hosts.stream().map(HttpHost::create).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(httpHosts);
        List<Header> headers = new ArrayList<>();
        if (username != null) {
            String token =
                    Base64.getEncoder()
                            .encodeToString(
                                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
            headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, "Basic " + token));
        } else if (apiKey != null) {
            headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + apiKey));
        }
        if (!headers.isEmpty()) {
            builder.setDefaultHeaders(headers.toArray(new Header[0]));
        }
        builder.setRequestConfigCallback(
                rc ->
                        rc.setConnectTimeout((int) connectTimeoutMs)
                                .setSocketTimeout((int) socketTimeoutMs));
        if (caCertificatePem != null) {
            SSLContext ssl =
                    TransportUtils.sslContextFromHttpCaCrt(
                            new ByteArrayInputStream(caCertificatePem));
            builder.setHttpClientConfigCallback(hc -> hc.setSSLContext(ssl));
        }
        return builder.build();
    }

    /** A new async API client; close it with {@code client._transport().close()}. */
    public ElasticsearchAsyncClient createAsyncClient() {
        return new ElasticsearchAsyncClient(
                new RestClientTransport(createRestClient(), new JacksonJsonpMapper()));
    }

    /** A new blocking API client; close it with {@code client._transport().close()}. */
    public ElasticsearchClient createClient() {
        return new ElasticsearchClient(
                new RestClientTransport(createRestClient(), new JacksonJsonpMapper()));
    }

    @Override
    public String toString() {
        return "ElasticsearchConnection{hosts="
                + hosts
                + (username != null ? ", basicAuth=" + username + ":***" : "")
                + (apiKey != null ? ", apiKey=***" : "")
                + (caCertificatePem != null ? ", trustedCa=yes" : "")
                + '}';
    }

    /** Builder; {@link #build()} checks the settings and says what to fix. */
    public static final class Builder {
        private final List<String> hosts = new ArrayList<>();
        private String username;
        private String password;
        private String apiKey;
        private byte[] caCertificatePem;
        private Path caCertificatePath;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration socketTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** One or more {@code http(s)://host:port} URLs of the cluster's HTTP endpoints. */
        public Builder setHosts(String... urls) {
            return setHosts(urls == null ? List.of() : Arrays.asList(urls));
        }

        /** One or more {@code http(s)://host:port} URLs; a comma-separated string also works. */
        public Builder setHosts(List<String> urls) {
            hosts.clear();
            if (urls != null) {
                for (String url : urls) {
                    if (url == null) {
                        continue;
                    }
                    for (String part : url.split(",")) {
                        if (!part.isBlank()) {
                            hosts.add(part.trim());
                        }
                    }
                }
            }
            return this;
        }

        /** HTTP basic authentication (exclusive with {@link #setApiKey}). */
        public Builder setBasicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * API key authentication (exclusive with {@link #setBasicAuth}): the base64 "encoded" value
         * Elasticsearch returns when creating the key (base64 of {@code id:api_key}).
         */
        public Builder setApiKey(String encodedApiKey) {
            this.apiKey = encodedApiKey;
            return this;
        }

        /** A PEM CA certificate to trust for https hosts (e.g. Elasticsearch's http_ca.crt). */
        public Builder setTrustedCaCertificate(Path caCertificatePem) {
            this.caCertificatePath = caCertificatePem;
            this.caCertificatePem = null;
            return this;
        }

        /** Same as {@link #setTrustedCaCertificate(Path)} with the PEM content. */
        public Builder setTrustedCaCertificate(byte[] caCertificatePem) {
            this.caCertificatePem = caCertificatePem == null ? null : caCertificatePem.clone();
            this.caCertificatePath = null;
            return this;
        }

        public Builder setConnectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long to wait for a response (a large bulk on a busy cluster can take a while). */
        public Builder setSocketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }

        public ElasticsearchConnection build() {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException(
                        "setHosts: give at least one http(s)://host:port URL, e.g. http://127.0.0.1:9200");
            }
            boolean allHttps = true;
            for (String host : hosts) {
                URI uri;
                try {
                    uri = URI.create(host);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "setHosts: '" + host + "' is not a URL; give http(s)://host:port", e);
                }
                String scheme =
                        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")
                        || uri.getHost() == null
                        || uri.getPort() < 0) {
                    throw new IllegalArgumentException(
                            "setHosts: '"
                                    + host
                                    + "' must look like http(s)://host:port, e.g. http://127.0.0.1:9200");
                }
                allHttps &= scheme.equals("https");
            }
            if (username != null || password != null) {
                if (username == null || username.isEmpty() || password == null) {
                    throw new IllegalArgumentException(
                            "setBasicAuth: give both a user name and a password");
                }
                if (apiKey != null) {
                    throw new IllegalArgumentException(
                            "setBasicAuth and setApiKey are exclusive: use one of them");
                }
            }
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalArgumentException(
                        "setApiKey: give the base64 'encoded' API key, or do not call setApiKey");
            }
            if (caCertificatePath != null) {
                try {
                    caCertificatePem = Files.readAllBytes(caCertificatePath);
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "setTrustedCaCertificate: cannot read "
                                    + caCertificatePath
                                    + " ("
                                    + e
                                    + "); give a readable PEM file",
                            e);
                }
            }
            if (caCertificatePem != null) {
                if (!allHttps) {
                    throw new IllegalArgumentException(
                            "setTrustedCaCertificate: a CA certificate only applies to https:// hosts; "
                                    + "change the hosts to https:// or drop the certificate");
                }
                try {
                    TransportUtils.sslContextFromHttpCaCrt(
                            new ByteArrayInputStream(caCertificatePem));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "setTrustedCaCertificate: not a PEM X.509 certificate (" + e + ")", e);
                }
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("setConnectTimeout: give a positive duration");
            }
            if (socketTimeout == null || socketTimeout.isNegative() || socketTimeout.isZero()) {
                throw new IllegalArgumentException("setSocketTimeout: give a positive duration");
            }
            return new ElasticsearchConnection(this);
        }
    }
}
