/**
 * The executor's {@code CloudProvider} on EC2 (aws-sdk-java-v2). {@link dev.kompact.aws.AwsSettings} builds every
 * AWS client; the rest is one class per AWS concern.
 */
package dev.kompact.aws;
