package io.sift.connectors.elasticsearch;

import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs Sift's component and index templates (the reviewed files in deploy/elasticsearch, on the
 * classpath under {@value #RESOURCE_FOLDER}): first all component templates, then the index
 * templates that use them. Each is a PUT of the file unchanged, so installing again is harmless and
 * updates changed templates. Templates apply to indices created afterwards; existing monthly
 * indices keep their mappings.
 *
 * <p>The list is fixed here rather than discovered, which works the same from a directory, a jar
 * or a shaded jar; a unit test keeps it equal to the files in deploy/elasticsearch.
 */
public final class ElasticsearchTemplates {

    /** Classpath folder of the template files (see the connectors POM). */
    public static final String RESOURCE_FOLDER = "io/sift/connectors/elasticsearch/templates/";

    /** What kind of template a file holds. */
    public enum Kind {
        COMPONENT("/_component_template/", ".component-template.json"),
        INDEX("/_index_template/", ".index-template.json");

        private final String endpoint;
        private final String fileSuffix;

        Kind(String endpoint, String fileSuffix) {
            this.endpoint = endpoint;
            this.fileSuffix = fileSuffix;
        }

        public String fileSuffix() {
            return fileSuffix;
        }
    }

    /** One template: its kind and name; the file is {@code name + kind.fileSuffix()}. */
    public static final class Template {
        private final Kind kind;
        private final String name;

        Template(Kind kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        public Kind kind() {
            return kind;
        }

        public String name() {
            return name;
        }

        public String fileName() {
            return name + kind.fileSuffix;
        }

        /** The path to PUT, e.g. {@code /_index_template/sift-incidents}. */
        public String endpoint() {
            return kind.endpoint + name;
        }

        /** The template JSON as stored in deploy/elasticsearch. */
        public String json() {
            String resource = RESOURCE_FOLDER + fileName();
            ClassLoader loader = ElasticsearchTemplates.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "Template resource "
                                    + resource
                                    + " is missing from the classpath; the connectors jar packages deploy/elasticsearch/*.json");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }

        @Override
        public String toString() {
            return endpoint();
        }
    }

    /** All templates in install order: component templates first. */
    public static final List<Template> TEMPLATES =
            List.of(
                    new Template(Kind.COMPONENT, "sift-settings"),
                    new Template(Kind.COMPONENT, "sift-ecs"),
                    new Template(Kind.INDEX, "sift-incidents"),
                    new Template(Kind.INDEX, "sift-anomalies"),
                    new Template(Kind.INDEX, "sift-changes"),
                    new Template(Kind.INDEX, "sift-slo"),
                    new Template(Kind.INDEX, "sift-service-health"),
                    new Template(Kind.INDEX, "sift-problems"),
                    new Template(Kind.INDEX, "sift-incident-metrics"));

    private ElasticsearchTemplates() {}

    /** Installs into the cluster at {@code url}, e.g. {@code "http://127.0.0.1:9200"}. */
    public static List<Template> install(String url) throws IOException {
        return install(ElasticsearchConnection.forUrl(url));
    }

    /** Installs with the connection settings (hosts, authentication, TLS) the sink uses. */
    public static List<Template> install(ElasticsearchConnection connection) throws IOException {
        try (RestClient client = connection.createRestClient()) {
            return install(client);
        }
    }

    /**
     * Installs with an existing low-level client (left open). The user needs the
     * {@code manage_index_templates} cluster privilege.
     *
     * @return the templates installed, in order
     */
    public static List<Template> install(RestClient client) throws IOException {
        List<Template> installed = new ArrayList<>();
        for (Template template : TEMPLATES) {
            Request request = new Request("PUT", template.endpoint());
            request.setJsonEntity(template.json());
            try {
                Response response = client.performRequest(request);
                EntityUtils.consumeQuietly(response.getEntity());
            } catch (ResponseException e) {
                throw new IOException(
                        "Elasticsearch refused template "
                                + template.fileName()
                                + " (PUT "
                                + template.endpoint()
                                + ", HTTP "
                                + e.getResponse().getStatusLine().getStatusCode()
                                + "): "
                                + e.getMessage(),
                        e);
            }
            installed.add(template);
        }
        return installed;
    }
}
