package dev.kompact.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Samples whether the processes of a container can run their own code, every millisecond, as a sequence of phases
 * without repeats: 'R' at least one can, 'F' none can, 'X' all are gone. A process cannot while frozen by the cgroup
 * freezer (state D), stopped, traced by CRIU (TracerPid set: CRIU's dump holds it, even in the instant it is woken to
 * enter its ptrace stop), or dying of a pending SIGKILL (woken only to exit). A pod that moved shows "RFX": it never
 * ran again after its freeze; one that rolled back "RFR".
 */
public final class ProcessWatch implements AutoCloseable {
    private static final long SIGKILL = 1L << 8;

    private final List<Long> pids;
    private final Thread thread;
    private final StringBuilder phases = new StringBuilder();
    private volatile boolean running = true;

    public ProcessWatch(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.thread = new Thread(this::sample, "process-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            char phase = phase();
            synchronized (phases) {
                if (phases.isEmpty() || phases.charAt(phases.length() - 1) != phase) {
                    phases.append(phase);
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private char phase() {
        boolean any = false;
        for (long pid : pids) {
            List<String> status;
            try {
                status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            } catch (IOException e) {
                continue; // gone
            }
            String state = field(status, "State:");
            if (state.startsWith("Z") || state.startsWith("X")) {
                continue;
            }
            any = true;
            boolean dying = (Long.parseUnsignedLong(field(status, "ShdPnd:"), 16) & SIGKILL) != 0
                    || (Long.parseUnsignedLong(field(status, "SigPnd:"), 16) & SIGKILL) != 0;
            boolean traced = !field(status, "TracerPid:").equals("0");
            if ((state.startsWith("R") || state.startsWith("S")) && !traced && !dying) {
                return 'R';
            }
        }
        return any ? 'F' : 'X';
    }

    private static String field(List<String> status, String name) {
        return status.stream()
                .filter(l -> l.startsWith(name))
                .map(l -> l.substring(name.length()).strip())
                .findFirst()
                .orElse("");
    }

    public String phases() {
        synchronized (phases) {
            return phases.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(1000);
    }
}
