package dev.kompact.agent.migration;

import dev.kompact.agent.bench.MigrationBenchmark;
import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageSender;
import dev.kompact.agent.transfer.TransferRate;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;

/**
 * How fast one image stream ({@link ImageStream} → {@link ImageReceiver}, mutual TLS, the agent's flow-control
 * window) carries a checkpoint's pages over loopback, beside a plain copy of the same file on the same disk (a
 * benchmark, not a test). The first transfer runs the data path cold, as a node's first migration does (the channel
 * and its classes are warmed by a small transfer first, as the migration's earlier calls warm them); the others warm.
 * Run the JVM as the agent runs (the chart's {@code agent.javaOptions}) to see what a node sees.
 *
 * <p>Run: {@code java -cp node-agent/target/classes:node-agent/target/test-classes:CLASSPATH
 * dev.kompact.agent.migration.ImageStreamBenchmark [MIB] [RUNS]}
 */
public final class ImageStreamBenchmark {
    private static final int WINDOW_BYTES = 16 << 20;

    private ImageStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("image-stream-bench");
        TestPki pki = TestPki.create(dir.resolve("pki"), "bench-ca");
        Path pages = write(Files.createDirectories(dir.resolve("source/server")).resolve("pages-1.img"), mib << 20);
        Path tiny = write(Files.createDirectories(dir.resolve("tiny/server")).resolve("pages-1.img"), 300_000);
        Path received = dir.resolve("received");
        Server server = NettyServerBuilder.forAddress(
                        new InetSocketAddress("127.0.0.1", 0),
                        pki.issue("node-b").serverCredentials())
                .addService(new Sink(received))
                .flowControlWindow(WINDOW_BYTES)
                .build()
                .start();
        PeerAgents peers = new PeerAgents(pki.issue("node-a"));
        String target = "localhost:" + server.getPort();
        try {
            send(peers, target, tiny.getParent().getParent(), received);
            long[] millis = new long[runs];
            for (int run = 0; run < runs; run++) {
                millis[run] = send(peers, target, pages.getParent().getParent(), received);
                System.out.printf(
                        "run %d%s: %d MiB in %d ms, %.0f MB/s%n",
                        run, run == 0 ? " (cold)" : "", mib, millis[run], rate(mib, millis[run]));
            }
            long copy = copy(pages, dir.resolve("copy.img"));
            long warm = MigrationBenchmark.median(java.util.Arrays.copyOfRange(millis, 1, runs));
            System.out.printf(
                    "%d MiB: cold %.0f MB/s, warm median %.0f MB/s; a plain file copy %.0f MB/s (%d ms): the stream"
                            + " takes %.1fx (cold) and %.1fx (warm) the copy's time%n",
                    mib,
                    rate(mib, millis[0]),
                    rate(mib, warm),
                    rate(mib, copy),
                    copy,
                    (double) millis[0] / Math.max(1, copy),
                    (double) warm / Math.max(1, copy));
        } finally {
            server.shutdownNow();
            FileTrees.deleteTree(dir);
        }
        System.exit(0);
    }

    private static long send(PeerAgents peers, String target, Path root, Path received) {
        FileTrees.deleteTree(received);
        ImageStream stream = new ImageStream(peers.async(target));
        long start = System.nanoTime();
        stream.send(new ImageSender("m-bench", Map.of("pod", root), new TransferRate(0)), () -> null);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long copy(Path from, Path to) throws IOException {
        long start = System.nanoTime();
        try (FileChannel in = FileChannel.open(from);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < in.size(); ) {
                done += in.transferTo(done, in.size() - done, out);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Path write(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block); // incompressible, as memory pages mostly are to TLS
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    private static double rate(int mib, long millis) {
        return (mib << 20) / 1e3 / Math.max(1, millis);
    }

    /** The target's end, as a prepared pod migration stores it; no migration behind it. */
    private static final class Sink extends NodeAgentGrpc.NodeAgentImplBase {
        private final Path dir;

        Sink(Path dir) {
            this.dir = dir;
        }

        @Override
        public StreamObserver<ImageChunk> transferImage(StreamObserver<TransferImageResponse> response) {
            return new StreamObserver<>() {
                private ImageReceiver receiver;

                @Override
                public void onNext(ImageChunk chunk) {
                    if (receiver == null) {
                        receiver = new ImageReceiver(
                                Map.of("pod", dir), chunk.getHeader().getTotalBytes(), Long.MAX_VALUE, 1000);
                    } else {
                        receiver.accept(chunk);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    receiver.abandon();
                }

                @Override
                public void onCompleted() {
                    response.onNext(TransferImageResponse.newBuilder()
                            .setBytesReceived(receiver.finish())
                            .build());
                    response.onCompleted();
                }
            };
        }
    }
}
