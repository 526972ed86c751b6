package dev.kompact.cli;

import dev.kompact.optimizer.model.Headroom;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --headroom} as {@link Headroom#parse} reads it, its errors as picocli's. */
final class HeadroomConverter implements ITypeConverter<Headroom> {

    @Override
    public Headroom convert(String value) {
        try {
            return Headroom.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
