package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A plan as a cluster-scoped resource: the spec is the plan, the status its journal. Named {@code ...Resource} in
 * Java only, beside the optimizer's {@code RebalancePlan} it is made from.
 */
@Group(KompactApi.GROUP)
@Version(KompactApi.VERSION)
@Kind("RebalancePlan")
@Plural("rebalanceplans")
@ShortNames("rbp")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Savings", jsonPath = ".spec.savings", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Execute", jsonPath = ".spec.execute", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class RebalancePlanResource extends CustomResource<PlanSpec, PlanStatus> {

    @JsonIgnore
    public boolean isFinished() {
        return getStatus() != null
                && getStatus().phase != null
                && getStatus().phase.isTerminal();
    }
}
