package dev.kompact.executor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a port method that changes nothing in the cluster, the cloud or a node. The controller hands its ports out
 * behind its leadership check (see {@code controller.Leadership}), which every other method passes first: a method
 * added to a port without this mark is a write, and so needs the Lease, until someone marks it as only a read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadOnly {}
