package dev.kompact.agent.tls;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Replaces a key and its certificate chain as one pair, the way the kubelet updates Secret volumes: both are written
 * into a new directory {@code ..<id>} beside them, then the link {@code ..data} is renamed onto it in one step, and
 * the key and chain paths are links through {@code ..data}. A reader that resolves the key's link once and reads the
 * chain from the same directory ({@link TlsIdentity#read}) therefore sees the old pair or the new one, never a new key
 * with an old chain. Directories older than the previous pair are deleted; the previous one stays for readers that
 * resolved it just before the swap.
 */
final class KeyPairFiles {
    static final String DATA = "..data";

    private KeyPairFiles() {}

    static void write(Path chain, Path key, String chainPem, String keyPem) throws IOException {
        Path dir = key.toAbsolutePath().getParent();
        if (!dir.equals(chain.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("the certificate chain " + chain + " and key " + key
                    + " must be in one directory, so that they can be replaced together");
        }
        Files.createDirectories(dir);
        Path version = dir.resolve(".." + System.currentTimeMillis() + "-" + UUID.randomUUID());
        Files.createDirectory(version);
        // the key is readable by this user only, as in a Secret volume with defaultMode 0600
        Files.writeString(
                Files.createFile(
                        version.resolve(key.getFileName()),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                keyPem);
        Files.writeString(version.resolve(chain.getFileName()), chainPem);
        Path previous = Files.isSymbolicLink(dir.resolve(DATA)) ? Files.readSymbolicLink(dir.resolve(DATA)) : null;
        Path link = dir.resolve(DATA + "-" + UUID.randomUUID());
        Files.createSymbolicLink(link, version.getFileName());
        Files.move(link, dir.resolve(DATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (Path file : new Path[] {key, chain}) {
            linkThroughData(dir, file.getFileName());
        }
        deleteOlderThan(dir, version.getFileName(), previous);
    }

    /** Once per directory (or to replace plain files an older version wrote): name -> ..data/name. */
    private static void linkThroughData(Path dir, Path name) throws IOException {
        Path target = Path.of(DATA).resolve(name);
        Path file = dir.resolve(name);
        if (Files.isSymbolicLink(file) && Files.readSymbolicLink(file).equals(target)) {
            return;
        }
        Path link = dir.resolve(name + "-" + UUID.randomUUID());
        try {
            Files.createSymbolicLink(link, target);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot link " + file + " through " + DATA + ": " + e.getMessage(), e);
        }
        Files.move(link, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteOlderThan(Path dir, Path current, Path previous) throws IOException {
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(dir, "..[0-9]*")) {
            for (Path version : versions) {
                Path name = version.getFileName();
                if (!name.equals(current) && !name.equals(previous) && !Files.isSymbolicLink(version)) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(version)) {
                        for (Path file : files) {
                            Files.deleteIfExists(file);
                        }
                    }
                    Files.deleteIfExists(version);
                }
            }
        }
    }
}
