package dev.kompact.cli;

import dev.kompact.optimizer.catalog.CatalogFile;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which prices a command uses: the bundled us-east-1 catalogue, or a region's that 'kompact prices' wrote. */
final class PriceOptions {

    @Option(
            names = "--prices",
            paramLabel = "FILE",
            description = "instance catalogue of the cluster's region, as 'kompact prices --region' writes it"
                    + " (default: the bundled " + InstanceCatalog.BUNDLED_REGION + " catalogue)")
    Path prices;

    private InstanceCatalog catalog;

    /** Read once: the snapshot and the report must price from the same catalogue. */
    InstanceCatalog catalog() throws IOException {
        if (catalog == null) {
            catalog = prices == null ? InstanceCatalog.bundled() : CatalogFile.read(prices);
        }
        return catalog;
    }
}
