package dev.kompact.sim.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads the Alibaba GPU cluster trace of 2023 (alibaba/clusterdata {@code cluster-trace-gpu-v2023}, Weng et al.,
 * ATC '23) as it is published: a pod list ({@code name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos,
 * pod_phase, creation_time, deletion_time, scheduled_time}) and a node list ({@code sn, cpu_milli, memory_mib, gpu,
 * model}). The default pod list and the resampled ones that keep times are bundled, gzipped, with the node list.
 * <p>Read as Kubernetes would see it: a pod holds its requests from creation to deletion whatever its last phase (a
 * Pending or Failed pod in the trace still asked for room); a GPU share ({@code gpu_milli} below 1000) is a whole
 * {@code nvidia.com/gpu}, since the device plugin hands out whole devices; {@code gpu_spec} (a GPU model) is not a
 * constraint, as the catalogue's GPUs are other models. Each pod is its own controller's only pod.
 */
public final class AlibabaTrace {

    public static final String DEFAULT = "alibaba";
    private static final String RESOURCES = "/dev/kompact/sim/replay/traces/";
    private static final String NODES = "openb_node_list_all_node.csv.gz";
    private static final Map<String, String> BUNDLED = Map.of(
            DEFAULT,
            "openb_pod_list_default.csv.gz",
            "alibaba-cpu050",
            "openb_pod_list_cpu050.csv.gz",
            "alibaba-gpushare40",
            "openb_pod_list_gpushare40.csv.gz",
            "alibaba-gpuspec33",
            "openb_pod_list_gpuspec33.csv.gz");
    private static final long MIB = 1024L * 1024;

    private AlibabaTrace() {}

    public static List<String> bundledNames() {
        return BUNDLED.keySet().stream().sorted().toList();
    }

    public static boolean isBundled(String name) {
        return BUNDLED.containsKey(name);
    }

    public static Trace bundled(String name) {
        String pods = BUNDLED.get(name);
        if (pods == null) {
            throw new IllegalArgumentException("no bundled trace named " + name + "; bundled: " + bundledNames());
        }
        try (Reader podReader = gzipResource(pods);
                Reader nodeReader = gzipResource(NODES)) {
            return read(name, podReader, nodeReader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pod list on disk (plain or {@code .gz}), with the node list beside it when there is one. */
    public static Trace file(Path pods) {
        Path nodes = pods.resolveSibling(
                pods.getFileName().toString().endsWith(".gz") ? NODES : NODES.substring(0, NODES.length() - 3));
        try (Reader podReader = open(pods)) {
            if (!Files.exists(nodes)) {
                return read(pods.getFileName().toString(), podReader, Reader.nullReader());
            }
            try (Reader nodeReader = open(nodes)) {
                return read(pods.getFileName().toString(), podReader, nodeReader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pods, e);
        }
    }

    static Trace read(String name, Reader pods, Reader nodes) throws IOException {
        List<TracePod> podList = new ArrayList<>();
        for (Map<String, String> row : rows(pods)) {
            String creation = row.get("creation_time");
            String deletion = row.get("deletion_time");
            if (creation == null || creation.isEmpty() || deletion == null || deletion.isEmpty()) {
                throw new IllegalArgumentException("pod " + row.get("name") + " has no creation or deletion time;"
                        + " this pod list cannot be replayed in time");
            }
            int gpus = Integer.parseInt(row.get("num_gpu"));
            podList.add(new TracePod(
                    row.get("name"),
                    row.get("name"),
                    Long.parseLong(row.get("cpu_milli")),
                    Long.parseLong(row.get("memory_mib")) * MIB,
                    gpus,
                    Long.parseLong(creation),
                    Long.parseLong(deletion),
                    false));
        }
        List<TraceNode> nodeList = new ArrayList<>();
        for (Map<String, String> row : rows(nodes)) {
            nodeList.add(new TraceNode(
                    row.get("sn"),
                    Long.parseLong(row.get("cpu_milli")),
                    Long.parseLong(row.get("memory_mib")),
                    Integer.parseInt(row.get("gpu")),
                    row.get("model")));
        }
        return new Trace(name, podList, nodeList);
    }

    private static List<Map<String, String>> rows(Reader reader) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        String header = lines.readLine();
        List<Map<String, String>> rows = new ArrayList<>();
        if (header == null) {
            return rows;
        }
        String[] columns = header.split(",", -1);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < columns.length && i < cells.length; i++) {
                row.put(columns[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static Reader gzipResource(String file) throws IOException {
        InputStream in = AlibabaTrace.class.getResourceAsStream(RESOURCES + file);
        if (in == null) {
            throw new IllegalStateException("the bundled trace file " + file + " is missing from the jar");
        }
        return new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8);
    }

    private static Reader open(Path path) throws IOException {
        InputStream in = Files.newInputStream(path);
        return new InputStreamReader(
                path.toString().endsWith(".gz") ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8);
    }
}
