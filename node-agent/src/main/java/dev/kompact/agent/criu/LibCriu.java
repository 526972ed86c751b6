package dev.kompact.agent.criu;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/** The few libcriu calls the capability probe needs; libcriu runs the criu binary in swrk mode for each. */
interface LibCriu extends Library {
    int criu_init_opts();

    void criu_set_service_binary(String path);

    int criu_get_version();

    int criu_feature_check(FeatureCheck features, NativeLong size);

    /** {@code struct criu_feature_check}: three C bools; set to 1 to ask, read back 1 when supported. */
    @Structure.FieldOrder({"memTrack", "lazyPages", "pidfdStore"})
    final class FeatureCheck extends Structure {
        public byte memTrack;
        public byte lazyPages;
        public byte pidfdStore;
    }
}
