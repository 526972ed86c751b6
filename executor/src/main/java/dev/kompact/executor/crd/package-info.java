/**
 * The custom resources of {@code kompact.dev/v1alpha1}. Each resource class carries only group, version and
 * printer columns; spec and status are plain classes beside it, with public fields because they are nothing but the
 * JSON the API server stores. The build generates their CRDs from these classes
 * ({@code crd-generator-maven-plugin}) into {@code target/classes/META-INF/fabric8/}, so they ship inside the jar as
 * {@code <plural>.kompact.dev-v1.yml}, from where the chart in {@code deploy/} is to take them.
 */
package dev.kompact.executor.crd;
