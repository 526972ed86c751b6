package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @ParameterizedTest
    @CsvSource({
        "cpu, 250m, 250",
        "cpu, 4, 4000",
        "cpu, 1.5, 1500",
        "cpu, 0.0001, 1",
        "cpu, 1e3, 1000000",
        "memory, 2Gi, 2147483648",
        "memory, 512Mi, 536870912",
        "memory, 1G, 1000000000",
        "memory, 1.5Ki, 1536",
        "memory, 128974848, 128974848",
        "pods, 110, 110",
        "nvidia.com/gpu, 2, 2",
        "ephemeral-storage, 20Gi, 21474836480"
    })
    void parsesIntoIntegerUnits(String resource, String text, long expected) {
        assertThat(Quantity.parse(resource, text)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12x", "1.2.3", "Gi", "1 Gi", "0x10", "1e400", "99999999999999999999Ei"})
    void rejectsWhatIsNotAQuantity(String text) {
        assertThat(Quantity.parse("memory", text)).isEmpty();
    }

    @Test
    void formatsCanonically() {
        assertThat(Quantity.format("cpu", 1500)).isEqualTo("1500m");
        assertThat(Quantity.format("cpu", 2000)).isEqualTo("2");
        assertThat(Quantity.format("memory", 2L << 30)).isEqualTo("2Gi");
        assertThat(Quantity.format("memory", 1000)).isEqualTo("1000");
        assertThat(Quantity.format("pods", 29)).isEqualTo("29");
    }
}
