package dev.kompact.executor.controller;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.InterruptionNotices;
import dev.kompact.executor.cloud.PodAddresses;
import java.util.Optional;

/**
 * What the controller knows of the cloud.
 *
 * @param provider empty when none is configured: plans are then only reported, whatever the mode
 * @param catalog the instance types and prices rounds plan with
 * @param interruptions empty when no interruption queue is configured: nodes are then not evacuated ahead of their
 *     end, and their pods restart wherever the scheduler puts them
 * @param podAddresses present where the cloud routes pod addresses (the AWS VPC CNI): a live move has it route the
 *     pod's address to the target node; empty where the node agents move it themselves (a bridge)
 */
public record ControllerCloud(
        Optional<CloudProvider> provider,
        CatalogSource catalog,
        Optional<InterruptionNotices> interruptions,
        Optional<PodAddresses> podAddresses) {

    /** A cloud whose pod addresses the node agents move themselves. */
    public ControllerCloud(
            Optional<CloudProvider> provider, CatalogSource catalog, Optional<InterruptionNotices> interruptions) {
        this(provider, catalog, interruptions, Optional.empty());
    }

    /** No cloud: report plans priced from the bundled catalogue. */
    public static ControllerCloud none() {
        return new ControllerCloud(Optional.empty(), CatalogSource.bundled(), Optional.empty());
    }
}
