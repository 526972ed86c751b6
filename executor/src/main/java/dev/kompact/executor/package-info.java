/**
 * The executor: ports to Kubernetes ({@code cluster.ClusterApi}), the cloud ({@code cloud.CloudProvider}) and the
 * node agents ({@code migration.Migrator}); the custom resources ({@code crd}); the plan state machine
 * ({@code execution.PlanExecutor}); the live cluster's snapshot ({@code snapshot}); and the leader-elected controller
 * loop with its metrics ({@code controller}).
 */
package dev.kompact.executor;
