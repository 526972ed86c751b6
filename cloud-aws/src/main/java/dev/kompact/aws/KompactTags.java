package dev.kompact.aws;

/** Tags Kompact puts on what it launches; terminate trusts {@link #CLUSTER} to tell its instances from others. */
final class KompactTags {

    static final String CLUSTER = "kompact.dev/cluster";
    static final String PLAN = "kompact.dev/plan";
    static final String NAME = "Name";

    private KompactTags() {}
}
