package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PdbRecord {

    public String namespace;
    public String name;
    public String minAvailable;
    public String maxUnavailable;
}
