package dev.kompact.agent.criu;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One protobuf image file of a CRIU checkpoint, in CRIU's own layout (criu/image.c, criu/protobuf.c): the common magic
 * (all files but inventory.img), the file's magic, then each entry as a little-endian 32-bit length and the message.
 * Read without following links and within a bound, since the file came from another node.
 */
public enum CriuImageFile {
    INVENTORY(0x58313116, false),
    PSTREE(0x50273030, true),
    CORE(0x55053847, true),
    IDS(0x54432030, true),
    MOUNTPOINTS(0x55563928, true);

    static final int COMMON_MAGIC = 0x54564319;
    /** The files read here hold a few kilobytes; CRIU itself needs nothing near this. */
    static final long MAX_BYTES = 4 << 20;

    final int magic;
    final boolean commonMagic;

    CriuImageFile(int magic, boolean commonMagic) {
        this.magic = magic;
        this.commonMagic = commonMagic;
    }

    /** @throws IllegalArgumentException naming the file, when it is missing, a link, too large or not this image */
    public <T> List<T> read(Path file, Parser<T> parser) {
        ByteBuffer bytes = ByteBuffer.wrap(bytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (commonMagic && (bytes.remaining() < 4 || bytes.getInt() != COMMON_MAGIC)) {
            throw corrupt(file, "no CRIU image magic");
        }
        if (bytes.remaining() < 4 || bytes.getInt() != magic) {
            throw corrupt(file, "not a " + name().toLowerCase() + " image");
        }
        List<T> entries = new ArrayList<>();
        while (bytes.hasRemaining()) {
            long length = bytes.remaining() < 4 ? -1 : Integer.toUnsignedLong(bytes.getInt());
            if (length < 0 || length > bytes.remaining()) {
                throw corrupt(file, "entry " + entries.size() + " runs past the end of the file");
            }
            try {
                entries.add(parser.parseFrom(bytes.slice(bytes.position(), (int) length)));
            } catch (InvalidProtocolBufferException e) {
                throw corrupt(file, "entry " + entries.size() + ": " + e.getMessage());
            }
            bytes.position(bytes.position() + (int) length);
        }
        return entries;
    }

    /** The file's single entry. */
    public <T> T readOne(Path file, Parser<T> parser) {
        List<T> entries = read(file, parser);
        if (entries.size() != 1) {
            throw corrupt(file, entries.size() + " entries, expected one");
        }
        return entries.get(0);
    }

    private static byte[] bytes(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw corrupt(file, "larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw corrupt(file, "missing");
        } catch (IOException e) {
            // a symbolic link fails here (ELOOP): CRIU must not be led to read another file as this one
            throw corrupt(file, "unreadable (" + e.getMessage() + ")");
        }
    }

    private static IllegalArgumentException corrupt(Path file, String why) {
        return new IllegalArgumentException("checkpoint file " + file.getFileName() + ": " + why);
    }
}
