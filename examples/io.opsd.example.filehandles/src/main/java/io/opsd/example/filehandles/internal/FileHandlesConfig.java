package io.opsd.example.filehandles.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd example: file handles", description = "Open file handles of the kernel.")
public @interface FileHandlesConfig {

    @AttributeDefinition(name = "Enabled")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = "Time between two collections, such as 60s.")
    String interval() default "60s";

    @AttributeDefinition(name = "Timeout", description = "Longest a collection may take, such as 5s.")
    String timeout() default "5s";
}
