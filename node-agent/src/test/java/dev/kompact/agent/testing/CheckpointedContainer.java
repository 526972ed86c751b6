package dev.kompact.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kompact.agent.runtime.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A real checkpoint to check and tamper with: a busybox container with runc's default config, run and dumped by
 * {@code runc checkpoint} (real CRIU), which stops it. The result is laid out as an image stream's roots are.
 */
public final class CheckpointedContainer {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CheckpointedContainer() {}

    /** @return the directory holding "bundle" (config.json and rootfs) and "checkpoint" (CRIU's images) */
    public static Path dump(Path workDir, String name) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(name));
        Path bundle = dir.resolve("bundle");
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet : new String[] {"sh", "sleep"}) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Commands.check(TIMEOUT, "runc", "spec", "--bundle", bundle.toString());
        ObjectMapper json = new ObjectMapper();
        ObjectNode config =
                (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = config.with("process");
        process.put("terminal", false);
        // stdio on a host file cannot be dumped (criu.md): the container's own /dev/null
        process.putArray("args").add("/bin/sh").add("-c").add("exec </dev/null >/dev/null 2>&1; exec sleep 600");
        config.with("root").put("readonly", false);
        config.with("linux").put("cgroupsPath", "/" + TestRun.PREFIX + "/" + name);
        json.writerWithDefaultPrettyPrinter()
                .writeValue(bundle.resolve("config.json").toFile(), config);

        TestRun.claim(workDir);
        // under workDir/NODE/runc, where TestRun looks for what a killed run left behind
        String root = dir.resolve("runc").toString();
        String id = TestRun.PREFIX + "-" + name;
        Commands.check(TIMEOUT, "runc", "--root", root, "run", "-d", "--bundle", bundle.toString(), id);
        try {
            Commands.check(
                    TIMEOUT,
                    "runc",
                    "--root",
                    root,
                    "checkpoint",
                    "--image-path",
                    dir.resolve("checkpoint").toString(),
                    "--work-path",
                    dir.resolve("work").toString(),
                    id);
        } finally {
            Commands.run(TIMEOUT, "runc", "--root", root, "delete", "-f", id);
        }
        return dir;
    }
}
