package io.opsd.api.collector;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Requirement;

/** Requires the implementation {@value #NAME}, which the collection engine provides. */
@Requirement(namespace = "osgi.implementation", name = RequireCollectorEngine.NAME, version = RequireCollectorEngine.VERSION)
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface RequireCollectorEngine {

    String NAME = "io.opsd.collector";
    String VERSION = "1.0";
}
