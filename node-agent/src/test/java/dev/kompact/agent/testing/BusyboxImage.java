package dev.kompact.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.agent.runtime.Commands;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An OCI image made offline (there is no registry to pull from): busybox-static and its applets as one gzip'ed
 * layer, plus the counter script of {@link CounterPod}; its default command sleeps, so that containerd can also run
 * it as the pod sandbox ("pause") image.
 */
public final class BusyboxImage {
    public static final String NAME = "kompact.test/busybox:1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private BusyboxImage() {}

    /**
     * Writes the image as an OCI layout tar under {@code dir} and returns it, for {@code ctr images import}.
     *
     * @param binaries static binaries added to /bin (e.g. the benchmark's memory workload)
     */
    public static Path build(Path dir, List<Path> binaries) throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet :
                Commands.check(TIMEOUT, "/bin/busybox", "--list").lines().toList()) {
            Path link = bin.resolve(applet);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        for (Path binary : binaries) {
            Files.copy(binary, bin.resolve(binary.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path counter = bin.resolve("counter");
        Files.writeString(counter, CounterPod.COUNTER);
        Files.setPosixFilePermissions(counter, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String empty : List.of("etc", "proc", "sys", "dev", "tmp", "run")) {
            Files.createDirectories(rootfs.resolve(empty));
        }
        Path layout = Files.createDirectories(dir.resolve("oci"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        Path layerTar = dir.resolve("layer.tar");
        Commands.check(TIMEOUT, "tar", "-C", rootfs.toString(), "--numeric-owner", "-cf", layerTar.toString(), ".");
        String diffId = digest(Files.readAllBytes(layerTar));
        Commands.check(TIMEOUT, "gzip", "-n", "-f", layerTar.toString());
        Descriptor layer = blob(blobs, Files.readAllBytes(dir.resolve("layer.tar.gz")));
        Descriptor config = blob(
                blobs,
                JSON.writeValueAsBytes(Map.of(
                        "architecture",
                        "amd64",
                        "os",
                        "linux",
                        "config",
                        Map.of("Cmd", List.of("/bin/sleep", "2147483647"), "Env", List.of("PATH=/bin")),
                        "rootfs",
                        Map.of("type", "layers", "diff_ids", List.of(diffId)))));
        Descriptor manifest = blob(
                blobs,
                JSON.writeValueAsBytes(Map.of(
                        "schemaVersion",
                        2,
                        "mediaType",
                        "application/vnd.oci.image.manifest.v1+json",
                        "config",
                        config.json("application/vnd.oci.image.config.v1+json"),
                        "layers",
                        List.of(layer.json("application/vnd.oci.image.layer.v1.tar+gzip")))));
        Map<String, Object> entry =
                new java.util.HashMap<>(manifest.json("application/vnd.oci.image.manifest.v1+json"));
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", NAME));
        JSON.writeValue(layout.resolve("index.json").toFile(), Map.of("schemaVersion", 2, "manifests", List.of(entry)));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path image = dir.resolve("image.tar");
        Commands.check(TIMEOUT, "tar", "-C", layout.toString(), "-cf", image.toString(), ".");
        return image;
    }

    private record Descriptor(String digest, long size) {
        Map<String, Object> json(String mediaType) {
            return Map.of("mediaType", mediaType, "digest", digest, "size", size);
        }
    }

    private static Descriptor blob(Path blobs, byte[] data) throws Exception {
        String digest = digest(data);
        Files.write(blobs.resolve(digest.substring("sha256:".length())), data);
        return new Descriptor(digest, data.length);
    }

    private static String digest(byte[] data) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
