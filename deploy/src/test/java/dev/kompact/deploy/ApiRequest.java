package dev.kompact.deploy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A request to the API server as the authorizer sees it (RBAC's request attributes): verb, API group, resource and
 * subresource, namespace, name; or a non-resource path such as {@code /version}.
 */
record ApiRequest(
        String method,
        String path,
        String verb,
        String group,
        String resource,
        String subresource,
        String namespace,
        String name) {

    boolean isResource() {
        return resource != null;
    }

    /** {@code resource} or {@code resource/subresource}, as RBAC rules name it. */
    String fullResource() {
        return subresource == null ? resource : resource + "/" + subresource;
    }

    static ApiRequest of(String method, String rawPath) {
        URI uri = URI.create(rawPath);
        String path = uri.getPath();
        boolean watch = uri.getQuery() != null
                && Arrays.asList(uri.getQuery().split("&")).contains("watch=true");
        List<String> parts =
                Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        int at;
        String group;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            at = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            at = 3;
        } else {
            return new ApiRequest(method, path, method.toLowerCase(), null, null, null, null, null);
        }
        List<String> rest = parts.subList(at, parts.size());
        if (rest.isEmpty()) {
            return new ApiRequest(method, path, method.toLowerCase(), null, null, null, null, null);
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource = rest.size() > 2 ? rest.get(2) : null;
        return new ApiRequest(
                method, path, verb(method, name != null, watch), group, resource, subresource, namespace, name);
    }

    /**
     * What the API server authorizes besides the request itself: deciding a CSR (its {@code approval}) needs
     * {@code approve}, and issuing it (its {@code status}) {@code sign}, on the {@code signers} resource named after
     * the request's signer (the dispatcher has read the request's body by then: the signer is looked up by the CSR's
     * name).
     */
    static List<ApiRequest> signerChecks(ApiRequest request, Function<String, String> signerOfCsr) {
        if (!"certificates.k8s.io".equals(request.group())
                || !"certificatesigningrequests".equals(request.resource())
                || !"update".equals(request.verb())
                || request.subresource() == null) {
            return List.of();
        }
        String verb = switch (request.subresource()) {
            case "approval" -> "approve";
            case "status" -> "sign";
            default -> null;
        };
        if (verb == null) {
            return List.of();
        }
        return List.of(new ApiRequest(
                request.method(),
                request.path(),
                verb,
                "certificates.k8s.io",
                "signers",
                null,
                null,
                signerOfCsr.apply(request.name())));
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for HTTP " + method);
        };
    }

    @Override
    public String toString() {
        if (!isResource()) {
            return method + " " + path;
        }
        return verb + " " + (group.isEmpty() ? "" : group + "/") + fullResource()
                + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " named " + name)
                + "  (" + method + " " + path + ")";
    }
}
