package dev.kompact.optimizer.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One line of the bundled catalogue CSV, as written (see SOURCES.md beside it). */
@JsonIgnoreProperties(ignoreUnknown = true)
record CatalogRow(
        @JsonProperty("instance_type") String instanceType,
        @JsonProperty("vcpu") int vcpu,
        @JsonProperty("memory_mib") long memoryMib,
        @JsonProperty("on_demand_usd_per_hour_us_east_1") String onDemandPrice,
        @JsonProperty("arch") String arch,
        @JsonProperty("gpu_count") int gpuCount,
        @JsonProperty("gpu_name") String gpuName,
        @JsonProperty("accelerator_count") int acceleratorCount,
        @JsonProperty("accelerator_name") String acceleratorName,
        @JsonProperty("family") String family,
        @JsonProperty("category") String category,
        @JsonProperty("generation") String generation,
        @JsonProperty("alloc_cpu_millicores") long allocatableMillicores,
        @JsonProperty("alloc_memory_mib") long allocatableMemoryMib,
        @JsonProperty("max_pods") long maxPods,

        @JsonProperty("spot_interruption_freq_us_east_1_linux")
        String interruptionFrequency,

        @JsonProperty("est_spot_usd_per_hour_us_east_1") String spotPrice) {}
