package dev.kompact.executor.cloud;

import dev.kompact.optimizer.catalog.InstanceCatalog;

/** The instance types and prices to plan with now: the bundled catalogue, or the cloud's live one. */
@FunctionalInterface
public interface CatalogSource {

    InstanceCatalog current();

    static CatalogSource bundled() {
        return InstanceCatalog::bundled;
    }
}
