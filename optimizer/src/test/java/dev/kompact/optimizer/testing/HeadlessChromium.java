package dev.kompact.optimizer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless and offline, for the tests that read back the DOM a report page's scripts built. The
 * machines have no network: without the background-networking flags Chromium keeps opening connections that are
 * refused, and a profile left from an earlier run could hold state, so every page gets a fresh one.
 */
public final class HeadlessChromium {

    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path executable;
    private final Path workDir;

    private HeadlessChromium(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** Chromium on PATH, keeping its profiles and logs under {@code workDir}; empty where it is not installed. */
    public static Optional<HeadlessChromium> onPath(Path workDir) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate, workDir));
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after the page's scripts ran, as Chromium serializes it. */
    public String dumpDom(String address) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Path out = profile.resolveSibling(profile.getFileName() + ".dom");
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("--dump-dom");
        command.add(address);
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "chromium did not exit within " + TIMEOUT_SECONDS + " s on " + address + "; its log: " + log);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
