package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsUnitsPeopleType() {
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rejectsNonsenseAndTooShort() {
        assertThatThrownBy(() -> converter.convert("1.5x")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("10ms")).hasMessageContaining("at least 100ms");
    }
}
