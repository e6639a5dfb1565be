package personae.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets this JVM is listening on, read from Linux's {@code /proc} (the socket inodes among
 * {@code /proc/self/fd}, matched against {@code /proc/self/net/tcp} and {@code tcp6}). Lets tests assert that nothing
 * listens beyond loopback.
 */
public final class Listeners {
    private Listeners() {}

    /** True where {@code /proc/self/net/tcp} exists (Linux). */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Every listening TCP address owned by this process. */
    public static List<InetSocketAddress> ofThisProcess() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException ignored) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) continue;
            List<String> lines;
            try {
                lines = Files.readAllLines(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
                if (f.length < 10 || !f[3].equals("0A") || !inodes.contains(f[9])) continue;
                out.add(parse(f[1]));
            }
        }
        return out;
    }

    private static InetSocketAddress parse(String hexAddrPort) {
        String[] ap = hexAddrPort.split(":");
        String hex = ap[0];
        byte[] addr = new byte[hex.length() / 2];
        // /proc prints each 32-bit word in host (little-endian) order
        for (int word = 0; word < addr.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int src = word * 8 + (3 - b) * 2;
                addr[word * 4 + b] = (byte) Integer.parseInt(hex.substring(src, src + 2), 16);
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), Integer.parseInt(ap[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
