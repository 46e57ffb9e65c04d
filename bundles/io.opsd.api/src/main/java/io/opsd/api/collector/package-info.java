/**
 * Host metrics. A collector is a {@link io.opsd.api.collector.Collector} service marked with
 * {@link io.opsd.api.collector.CollectorService}; the collection engine (io.opsd.metrics) schedules every such
 * service it sees, and publishes the latest {@link io.opsd.api.collector.MetricSet} of each through
 * {@link io.opsd.api.collector.MetricsView}, {@code GET /metrics} and the Manager link.
 */
@Export
@Version("1.1.0")
package io.opsd.api.collector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
