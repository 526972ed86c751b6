package dev.kompact.sim.sample;

import static dev.kompact.sim.sample.WorkloadSpec.SYSTEM_CLUSTER_CRITICAL;
import static dev.kompact.sim.sample.WorkloadSpec.bare;
import static dev.kompact.sim.sample.WorkloadSpec.daemonSet;
import static dev.kompact.sim.sample.WorkloadSpec.deployment;
import static dev.kompact.sim.sample.WorkloadSpec.statefulSet;

import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.List;

/**
 * The sample's workloads: a web shop's services beside the add-ons an EKS cluster runs. Replica counts are skewed as
 * in real clusters: a few wide front ends, a long tail of one- and two-replica services.
 */
final class SampleWorkloads {

    private static final int BUSINESS_CRITICAL = 100_000;
    private static final Toleration BATCH_ONLY = new Toleration(
            SampleNodes.DEDICATED_TAINT.key(),
            Toleration.Operator.Equal,
            SampleNodes.DEDICATED_TAINT.value(),
            TaintEffect.NoSchedule);

    static final List<WorkloadSpec> ALL = List.of(
            daemonSet("kube-system", "aws-node"),
            daemonSet("kube-system", "kube-proxy"),
            daemonSet("kube-system", "ebs-csi-node"),
            daemonSet("monitoring", "node-exporter"),
            daemonSet("logging", "fluent-bit"),
            deployment("kube-system", "coredns", Profile.CONTROLLER, 2)
                    .withPriority(SYSTEM_CLUSTER_CRITICAL)
                    .maxUnavailable("1"),
            deployment("kube-system", "ebs-csi-controller", Profile.CONTROLLER, 2)
                    .withPriority(SYSTEM_CLUSTER_CRITICAL),
            deployment("kube-system", "aws-load-balancer-controller", Profile.CONTROLLER, 2)
                    .withPriority(SYSTEM_CLUSTER_CRITICAL),
            deployment("kube-system", "metrics-server", Profile.CONTROLLER, 1).withPriority(SYSTEM_CLUSTER_CRITICAL),
            // Cluster Autoscaler's own chart marks it so, lest it evict itself mid-scale-down.
            deployment("kube-system", "cluster-autoscaler", Profile.CONTROLLER, 1)
                    .withPriority(SYSTEM_CLUSTER_CRITICAL)
                    .annotated(WellKnownLabels.CA_SAFE_TO_EVICT, "false"),
            statefulSet("monitoring", "prometheus", Profile.ANALYTICS, 2)
                    .selecting(SampleNodes.NODE_GROUP, SampleNodes.MEMORY_GROUP)
                    .minAvailable("1"),
            statefulSet("monitoring", "alertmanager", Profile.CONTROLLER, 3),
            deployment("monitoring", "grafana", Profile.API, 1),
            deployment("monitoring", "kube-state-metrics", Profile.CONTROLLER, 1),
            deployment("monitoring", "prometheus-operator", Profile.CONTROLLER, 1),
            deployment("ingress-nginx", "ingress-nginx-controller", Profile.EDGE, 12)
                    .minAvailable("2"),
            deployment("cert-manager", "cert-manager", Profile.CONTROLLER, 1),
            deployment("cert-manager", "cert-manager-webhook", Profile.CONTROLLER, 1),
            deployment("cert-manager", "cert-manager-cainjector", Profile.CONTROLLER, 1),
            deployment("argocd", "argocd-server", Profile.API, 2),
            deployment("argocd", "argocd-repo-server", Profile.WORKER, 2),
            statefulSet("argocd", "argocd-application-controller", Profile.WORKER, 1),
            deployment("argocd", "argocd-redis", Profile.CACHE, 1),
            deployment("argocd", "argocd-dex-server", Profile.CONTROLLER, 1),
            deployment("argocd", "argocd-applicationset-controller", Profile.CONTROLLER, 1),
            deployment("frontend", "storefront", Profile.EDGE, 30).maxUnavailable("25%"),
            deployment("frontend", "bff-mobile", Profile.API, 24),
            deployment("frontend", "static-assets", Profile.EDGE, 10),
            deployment("frontend", "admin-ui", Profile.EDGE, 2),

            // Scaled up a moment ago: two replicas are not bound yet, though there is room for them.
            deployment("checkout", "checkout-api", Profile.API, 30)
                    .withPriority(BUSINESS_CRITICAL)
                    .pending(2)
                    .minAvailable("75%"),
            deployment("checkout", "cart", Profile.JVM_SERVICE, 24),
            deployment("checkout", "pricing", Profile.JVM_SERVICE, 12),
            deployment("checkout", "promotions", Profile.API, 10),
            deployment("checkout", "shipping-quotes", Profile.API, 8),
            deployment("checkout", "tax-calculator", Profile.API, 6),
            deployment("checkout", "order-events-consumer", Profile.WORKER, 18),
            bare("checkout", "load-test-runner", Profile.WORKER),
            deployment("payments", "payments-api", Profile.JVM_SERVICE, 16)
                    .withPriority(BUSINESS_CRITICAL)
                    .minAvailable("50%")
                    .requiring(WellKnownLabels.CAPACITY_TYPE, SelectorOperator.NotIn, "spot"),
            // minAvailable equal to replicas: the budget never allows a voluntary eviction.
            deployment("payments", "ledger", Profile.JVM_SERVICE, 3)
                    .withPriority(BUSINESS_CRITICAL)
                    .minAvailable("3")
                    .requiring(WellKnownLabels.CAPACITY_TYPE, SelectorOperator.NotIn, "spot"),
            deployment("payments", "payment-gateway-adapter", Profile.API, 10),
            deployment("payments", "fraud-scoring", Profile.ANALYTICS, 4)
                    .selecting(SampleNodes.NODE_GROUP, SampleNodes.MEMORY_GROUP),
            deployment("payments", "refunds", Profile.API, 4),
            deployment("payments", "payouts-worker", Profile.WORKER, 4),
            deployment("payments", "reconciliation", Profile.WORKER, 1),
            bare("payments", "db-migrate-manual", Profile.CONTROLLER)
                    .annotated(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT, "true"),
            deployment("search", "search-api", Profile.API, 28),
            deployment("search", "query-suggest", Profile.API, 18),
            deployment("search", "indexer", Profile.WORKER, 6),
            deployment("search", "synonyms", Profile.API, 2),
            // Created a moment before the snapshot, not bound yet.
            deployment("search", "index-rebuilder", Profile.ANALYTICS, 1).pending(1),
            statefulSet("search", "elasticsearch-master", Profile.JVM_SERVICE, 3),
            statefulSet("search", "elasticsearch-data", Profile.DATABASE, 4)
                    .maxUnavailable("1")
                    .requiring(WellKnownLabels.CAPACITY_TYPE, SelectorOperator.NotIn, "spot"),
            deployment("catalog", "catalog-api", Profile.API, 28),
            deployment("catalog", "inventory", Profile.JVM_SERVICE, 8),
            deployment("catalog", "product-images", Profile.EDGE, 16),
            deployment("catalog", "reviews", Profile.API, 8),
            deployment("catalog", "recommendations", Profile.ANALYTICS, 3)
                    .requiring(
                            WellKnownLabels.INSTANCE_TYPE,
                            SelectorOperator.In,
                            "r5.xlarge",
                            "r5.2xlarge",
                            "r6i.xlarge",
                            "r6i.2xlarge"),
            deployment("catalog", "catalog-importer", Profile.WORKER, 1),
            deployment("identity", "auth", Profile.API, 20)
                    .withPriority(BUSINESS_CRITICAL)
                    .minAvailable("2"),
            deployment("identity", "user-profile", Profile.API, 12),
            deployment("identity", "token-issuer", Profile.API, 4),
            statefulSet("identity", "session-store", Profile.CACHE, 3),
            deployment("notifications", "email-sender", Profile.WORKER, 20),
            deployment("notifications", "sms-sender", Profile.WORKER, 6),
            deployment("notifications", "push-gateway", Profile.API, 8),
            deployment("notifications", "webhook-dispatcher", Profile.WORKER, 18),
            deployment("notifications", "template-renderer", Profile.API, 6),

            // The volumes of the primaries live in two zones only.
            statefulSet("data", "postgres-orders", Profile.DATABASE, 3)
                    .maxUnavailable("1")
                    .annotated(WellKnownLabels.CA_SAFE_TO_EVICT, "false")
                    .requiring(WellKnownLabels.ZONE, SelectorOperator.In, "us-east-1a", "us-east-1b"),
            statefulSet("data", "postgres-users", Profile.DATABASE, 2)
                    .annotated(WellKnownLabels.CA_SAFE_TO_EVICT, "false"),
            statefulSet("data", "redis", Profile.CACHE, 3),
            statefulSet("data", "kafka", Profile.QUEUE, 3)
                    .minAvailable("2")
                    .requiring(WellKnownLabels.CAPACITY_TYPE, SelectorOperator.NotIn, "spot"),
            statefulSet("data", "zookeeper", Profile.CONTROLLER, 3),
            deployment("data", "kafka-connect", Profile.JVM_SERVICE, 3),
            deployment("data", "schema-registry", Profile.API, 3),
            deployment("data", "pgbouncer", Profile.EDGE, 6),

            // Long jobs that would lose hours of work if evicted.
            deployment("batch", "report-builder", Profile.BATCH, 3)
                    .selecting(SampleNodes.NODE_GROUP, SampleNodes.BATCH_GROUP)
                    .tolerating(BATCH_ONLY)
                    .annotated(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT, "true"),
            deployment("batch", "etl-runner", Profile.BATCH, 4)
                    .selecting(SampleNodes.NODE_GROUP, SampleNodes.BATCH_GROUP)
                    .tolerating(BATCH_ONLY)
                    .annotated(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT, "true"),
            deployment("batch", "image-resizer", Profile.BATCH, 10)
                    .selecting(SampleNodes.NODE_GROUP, SampleNodes.BATCH_GROUP)
                    .tolerating(BATCH_ONLY),
            deployment("batch", "invoice-renderer", Profile.BATCH, 2)
                    .selecting(SampleNodes.NODE_GROUP, SampleNodes.BATCH_GROUP)
                    .tolerating(BATCH_ONLY),
            deployment("experiments", "feature-flags", Profile.API, 6),
            deployment("experiments", "ab-assignment", Profile.API, 6),
            deployment("internal-tools", "backstage", Profile.API, 1),
            deployment("internal-tools", "docs-site", Profile.EDGE, 2),
            bare("default", "netshoot-debug", Profile.CONTROLLER));

    private SampleWorkloads() {}
}
