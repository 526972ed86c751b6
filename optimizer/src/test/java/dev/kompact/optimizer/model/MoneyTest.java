package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void readsAnHourlyPriceAsPriceListsWriteIt() {
        assertThat(Money.hourlyPrice("0.0416000000")).isEqualTo(41_600);
        assertThat(Money.hourlyPrice(" 98.32 ")).isEqualTo(98_320_000);
    }

    @Test
    void refusesAPriceNoInstanceCostsNamingIt() {
        assertThatThrownBy(() -> Money.hourlyPrice("1e30"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$1e30/h")
                .hasMessageContaining("beyond any instance's price");
        assertThatThrownBy(() -> Money.hourlyPrice("-0.01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Money.hourlyPrice("1e999999999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beyond any instance's price");
    }

    @Test
    void theCeilingItselfIsAPriceAndAMicroDollarAboveItIsNot() {
        assertThat(Money.isHourlyPrice(Money.MAX_PRICE_PER_HOUR)).isTrue();
        assertThat(Money.isHourlyPrice(BigDecimal.ZERO)).isTrue();
        assertThat(Money.isHourlyPrice(Money.MAX_PRICE_PER_HOUR.add(new BigDecimal("0.000001"))))
                .isFalse();
        assertThat(Money.isHourlyPrice(new BigDecimal("-0.000001"))).isFalse();
    }

    @Test
    void refusesTextThatIsNoNumber() {
        assertThatThrownBy(() -> Money.hourlyPrice("0.04 USD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("price \"0.04 USD\" is not a decimal number");
    }
}
