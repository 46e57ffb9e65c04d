package io.opsd.collector.disk.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads sizes through java.nio {@link FileStore}s (a {@code statvfs} call per value). The stores are kept per
 * mount point because looking one up reads the whole mount table again.
 */
final class FileStoreSpaceReader implements SpaceReader {

    private final Map<String, FileStore> stores = new HashMap<>();

    @Override
    public Space read(String mountPoint) throws IOException {
        FileStore store = stores.get(mountPoint);
        if (store == null) {
            store = Files.getFileStore(Path.of(mountPoint));
            stores.put(mountPoint, store);
        }
        return new Space(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace());
    }

    @Override
    public void retainOnly(Set<String> mountPoints) {
        stores.keySet().retainAll(mountPoints);
    }
}
