package io.opsd.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.opsd.api.store.ResourceSample;

/**
 * The resource history of one agent: a ring of primitive columns, bounded by points and by age, ordered by time.
 * A sample older than the newest (the clock went back) is stored at the newest time, so the order, and the
 * binary search of a window, hold.
 */
final class ResourceRing {

    private long[] time;
    private double[] cpu;
    private long[] rss;
    private long[] vms;
    private long[] read;
    private long[] written;
    private int[] files;
    private int[] threads;
    private int head;
    private int size;

    ResourceRing(int capacity) {
        allocate(capacity);
    }

    private void allocate(int capacity) {
        time = new long[capacity];
        cpu = new double[capacity];
        rss = new long[capacity];
        vms = new long[capacity];
        read = new long[capacity];
        written = new long[capacity];
        files = new int[capacity];
        threads = new int[capacity];
        head = 0;
        size = 0;
    }

    synchronized void add(ResourceSample s, Instant now, Duration retention) {
        long t = s.time().toEpochMilli();
        if (size > 0) {
            t = Math.max(t, time[index(size - 1)]);
        }
        int capacity = time.length;
        int slot;
        if (size < capacity) {
            slot = index(size);
            size++;
        } else {
            slot = head;
            head = (head + 1) % capacity;
        }
        put(slot, t, s);
        prune(now, retention);
    }

    private void put(int slot, long t, ResourceSample s) {
        time[slot] = t;
        cpu[slot] = s.cpuPercent();
        rss[slot] = s.rssBytes();
        vms[slot] = s.vmsBytes();
        read[slot] = s.diskReadBytes();
        written[slot] = s.diskWriteBytes();
        files[slot] = s.openFiles();
        threads[slot] = s.threads();
    }

    /** Drops samples older than {@code retention} at {@code now}. */
    synchronized void prune(Instant now, Duration retention) {
        long oldest = now.minus(retention).toEpochMilli();
        while (size > 0 && time[head] < oldest) {
            head = (head + 1) % time.length;
            size--;
        }
    }

    /** Samples with {@code from <= time <= to}, oldest first; copies only the window. */
    synchronized List<ResourceSample> window(Instant from, Instant to) {
        long lo = from.toEpochMilli();
        long hi = to.toEpochMilli();
        List<ResourceSample> out = new ArrayList<>();
        for (int i = firstAtOrAfter(lo); i < size; i++) {
            int slot = index(i);
            if (time[slot] > hi) {
                break;
            }
            out.add(sample(slot));
        }
        return out;
    }

    synchronized List<ResourceSample> all() {
        List<ResourceSample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(sample(index(i)));
        }
        return out;
    }

    synchronized int size() {
        return size;
    }

    /** Keeps the newest samples that fit a new capacity. */
    synchronized void resize(int capacity) {
        if (capacity == time.length) {
            return;
        }
        List<ResourceSample> kept = all();
        allocate(capacity);
        int from = Math.max(0, kept.size() - capacity);
        for (ResourceSample s : kept.subList(from, kept.size())) {
            put(index(size++), s.time().toEpochMilli(), s);
        }
    }

    private int firstAtOrAfter(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time[index(mid)] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int index(int logical) {
        return (head + logical) % time.length;
    }

    private ResourceSample sample(int slot) {
        return new ResourceSample(Instant.ofEpochMilli(time[slot]), cpu[slot], rss[slot], vms[slot], read[slot],
            written[slot], files[slot], threads[slot]);
    }
}
