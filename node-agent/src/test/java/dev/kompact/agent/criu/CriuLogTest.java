package dev.kompact.agent.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriuLogTest {
    @TempDir
    Path dir;

    @Test
    void elapsedIsTheLatestStampedLineSkippingTheParasitesUnstampedOnes() throws Exception {
        Path log = dir.resolve("dump.log");
        Files.writeString(log, """
        (00.000000) Parsing config file /etc/criu/runc.conf
        (00.041186) Sent msg to daemon 3 0 0
        (01.089404) Running status-ready scripts
        pie: 1: __fetched msg: 3 0 0
        """);

        assertThat(CriuLog.elapsedMillis(log)).hasValue(1089);
    }

    @Test
    void noLogOrNoStampedLineGivesNothing() throws Exception {
        Path log = dir.resolve("restore.log");
        Files.writeString(log, "pie: 1: no stamp here\n");

        assertThat(CriuLog.elapsedMillis(log)).isEmpty();
        assertThat(CriuLog.elapsedMillis(dir.resolve("missing.log"))).isEmpty();
    }
}
