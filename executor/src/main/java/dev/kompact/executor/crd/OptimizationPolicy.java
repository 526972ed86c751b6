package dev.kompact.executor.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** How the controller may change the cluster: cluster-scoped, named on the controller's command line. */
@Group(KompactApi.GROUP)
@Version(KompactApi.VERSION)
@ShortNames("kpolicy")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Interval", jsonPath = ".spec.interval", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class OptimizationPolicy extends CustomResource<OptimizationPolicySpec, Void> {}
