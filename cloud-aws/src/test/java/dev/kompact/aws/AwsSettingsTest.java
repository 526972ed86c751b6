package dev.kompact.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class AwsSettingsTest {

    @Test
    void asksThePriceListApiInTheNearestOfItsThreeRegions() {
        assertThat(AwsSettings.forRegion("us-west-2").pricingRegion()).isEqualTo(Region.US_EAST_1);
        assertThat(AwsSettings.forRegion("sa-east-1").pricingRegion()).isEqualTo(Region.US_EAST_1);
        assertThat(AwsSettings.forRegion("eu-west-1").pricingRegion()).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(AwsSettings.forRegion("me-south-1").pricingRegion()).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(AwsSettings.forRegion("ap-southeast-2").pricingRegion()).isEqualTo(Region.AP_SOUTH_1);
    }
}
