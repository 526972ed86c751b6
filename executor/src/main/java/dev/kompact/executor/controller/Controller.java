package dev.kompact.executor.controller;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.InterruptionNotices;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.GoDurations;
import dev.kompact.executor.execution.LeadershipLost;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.execution.PlanStore;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.snapshot.ClusterObserver;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The always-on controller. Every replica observes the cluster and serves metrics and health; only the holder of
 * the {@code coordination.k8s.io/v1} Lease plans and acts, one round per policy interval, and listens to the cloud's
 * interruption notices: a notice for one of the cluster's nodes becomes an evacuation plan, and the round in
 * progress yields to it at its next look. Losing the Lease stops the round at its next look at the cluster; the
 * next leader resumes any unfinished plan from its journal.
 *
 * <p>fabric8's elector ends for good after one failed renewal (an API server outage, a long pause): the controller
 * then campaigns again, for as long as it runs. {@code /healthz} fails when it neither leads nor campaigns, or when
 * it leads and its planning loop has died, so that the kubelet restarts it.
 */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final Duration QUEUE_RETRY = Duration.ofSeconds(5);

    private final KubernetesClient client;
    /** The elector's own client: no retries, each request bounded by the renew deadline (see the constructor). */
    private final KubernetesClient electionClient;

    private final ControllerSettings settings;
    private final ClusterObserver observer;
    private final Fabric8ClusterApi cluster;
    /** {@link #cluster} for the Lease holder only: every change is preceded by {@link Leadership#check}. */
    private final ClusterApi guarded;

    private final PlanStore store;
    private final PlanningRound round;
    private final RoundTrigger trigger = new RoundTrigger();
    private final Optional<InterruptionNotices> interruptions;
    private final InterruptionResponder responder;
    private final ControllerMetrics metrics;
    private final PrometheusRegistry registry;
    /** Asked before every write; a loop left from a previous leadership stops even if leadership came back. */
    private final Leadership leadership;

    private volatile boolean campaigning;
    private volatile boolean closed;

    private volatile Thread loop;
    private volatile Thread listener;
    private CompletableFuture<?> election;
    private HTTPServer metricsServer;
    private HealthServer healthServer;

    /**
     * @param migrator empty when no node agents are deployed: LIVE moves become evictions
     * @param registry where the metrics go; {@code PrometheusRegistry.defaultRegistry} in production
     */
    public Controller(
            KubernetesClient client,
            ControllerSettings settings,
            ControllerCloud cloud,
            Optional<Migrator> migrator,
            PrometheusRegistry registry) {
        this.client = client;
        this.settings = settings;
        this.registry = registry;
        // the default client retries a failed request for up to minutes: a renewal stuck in retries outlives the Lease,
        // and the elector believes it leads while another replica has taken over
        this.electionClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0)
                        .withRequestTimeout((int) settings.renewDeadline().toMillis())
                        .build())
                .build();
        this.observer = new ClusterObserver(client, cloud.catalog(), settings.clusterName());
        this.cluster = new Fabric8ClusterApi(client);
        this.leadership = new Leadership(electionClient, settings, Clock.systemUTC());
        this.guarded = leadership.guard(ClusterApi.class, cluster);
        this.store = leadership.guard(PlanStore.class, new Fabric8PlanStore(client));
        this.metrics = new ControllerMetrics(registry);
        Optional<PlanExecutor> executor = cloud.provider()
                .map(c -> new PlanExecutor(
                        guarded,
                        leadership.guard(CloudProvider.class, c),
                        migrator.map(m -> leadership.guard(Migrator.class, m)),
                        cloud.podAddresses().map(a -> leadership.guard(PodAddresses.class, a)),
                        store,
                        cloud.catalog(),
                        settings.executor(),
                        metrics,
                        Clock.systemUTC()));
        PlanPublisher publisher = new PlanPublisher(guarded, store, settings.identity(), Clock.systemUTC());
        NoticedNodes noticed = new NoticedNodes();
        this.round = new PlanningRound(
                observer, guarded, store, publisher, executor, cloud.catalog(), noticed, metrics, Clock.systemUTC());
        this.interruptions = cloud.interruptions();
        this.responder = new InterruptionResponder(
                observer,
                guarded,
                store,
                publisher,
                executor.isPresent(),
                settings.policyName(),
                trigger,
                noticed,
                Clock.systemUTC());
    }

    public synchronized void start() throws IOException {
        metricsServer = HTTPServer.builder()
                .port(settings.metricsPort())
                .registry(registry)
                .buildAndStart();
        healthServer = new HealthServer(settings.healthPort(), this::isHealthy, observer::isSynced);
        observer.start();
        campaign();
        log.info(
                "controller {} started for policy {}; metrics on :{}, health on :{}",
                settings.identity(),
                settings.policyName(),
                metricsPort(),
                healthPort());
    }

    /** What the elector believes; whether the controller may act is asked of the Lease before each write. */
    public boolean isLeading() {
        return leadership.electorLeads();
    }

    /** Leading with a live planning loop, or campaigning for the Lease; what {@code /healthz} answers. */
    public boolean isHealthy() {
        if (closed) {
            return false;
        }
        Thread current = loop;
        return leadership.electorLeads() ? current != null && current.isAlive() : campaigning;
    }

    /** Joins the election; when fabric8's elector ends (renewal failed, or it never got going), joins it again. */
    private synchronized void campaign() {
        if (closed) {
            return;
        }
        campaigning = true;
        CompletableFuture<?> running = electionClient
                .leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(settings.leaseName())
                        .withLock(new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
                        .withLeaseDuration(settings.leaseDuration())
                        .withRenewDeadline(settings.renewDeadline())
                        .withRetryPeriod(settings.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                this::startLeading,
                                this::stopLeading,
                                leader -> log.info("{} leads the Kompact controllers", leader)))
                        .build())
                .build()
                .start();
        election = running;
        running.whenComplete((ignored, error) -> {
            campaigning = false;
            stopLeading();
            if (closed) {
                return;
            }
            log.warn(
                    "{} left the leader election ({}); campaigning again in {}",
                    settings.identity(),
                    error == null ? "leadership lost" : error.toString(),
                    settings.retryPeriod());
            CompletableFuture.delayedExecutor(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
                    .execute(this::campaign);
        });
    }

    public int metricsPort() {
        return metricsServer.getPort();
    }

    public int healthPort() {
        return healthServer.port();
    }

    private synchronized void startLeading() {
        if (closed) {
            return;
        }
        Leadership.Term myTerm = leadership.begin();
        metrics.leading(true);
        Thread previous = loop;
        loop = new Thread(() -> lead(myTerm, previous), "kompact-controller-" + settings.identity());
        loop.setDaemon(true);
        loop.start();
        interruptions.ifPresent(queue -> {
            listener = new Thread(() -> listen(queue, myTerm), "kompact-interruptions-" + settings.identity());
            listener.setDaemon(true);
            listener.start();
        });
    }

    private synchronized void stopLeading() {
        leadership.end();
        metrics.leading(false);
        if (loop != null) {
            loop.interrupt();
        }
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Long-polls the interruption queue while leading; a queue that cannot be read is tried again shortly. */
    private void listen(InterruptionNotices queue, Leadership.Term myTerm) {
        while (myTerm.isCurrent()) {
            try {
                queue.poll(responder);
            } catch (RuntimeException e) {
                if (!myTerm.isCurrent()) {
                    return;
                }
                log.warn("cannot read the interruption queue: {}; trying again in {}", e.getMessage(), QUEUE_RETRY);
                try {
                    Thread.sleep(QUEUE_RETRY.toMillis());
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    private void lead(Leadership.Term myTerm, Thread previous) {
        log.info("{} is the leader: planning with policy {}", settings.identity(), settings.policyName());
        try {
            if (previous != null) {
                // the loop of the leadership before this one stops at its next look; two loops never act at once
                previous.join();
            }
            while (myTerm.isCurrent()) {
                Duration wait = RETRY;
                try {
                    // every round, not only on gaining leadership: a plan deleted or set to execute: false while it
                    // held a
                    // node, or an untaint that failed after the plan stopped, leaves the node out of service otherwise
                    LeftoverTaints.clean(guarded, store);
                } catch (LeadershipLost e) {
                    // the elector has not noticed yet; it will, and this loop ends then
                    trigger.await(settings.retryPeriod());
                    continue;
                } catch (RuntimeException e) {
                    log.warn(
                            "could not put nodes left disrupted by stopped plans back into service: {}",
                            e.getMessage());
                }
                try {
                    Optional<OptimizationPolicy> policy = store.policy(settings.policyName());
                    if (policy.isEmpty()) {
                        log.warn(
                                "no OptimizationPolicy named {}: create one (kubectl apply -f policy.yaml); looking again in {}",
                                settings.policyName(),
                                RETRY);
                    } else {
                        wait = GoDurations.parse(policy.get().getSpec().interval, "spec.interval");
                        // an evacuation plan fires the trigger: the round stops at its next look and the next one runs
                        // it first
                        round.run(policy.get(), () -> myTerm.isCurrent() && !trigger.isFired());
                    }
                } catch (LeadershipLost e) {
                    log.warn("{}; this round ends here", e.getMessage());
                } catch (RuntimeException e) {
                    // a bad policy or an unreachable API server; a plan's journal holds what was done, the next round
                    // resumes
                    log.error("planning round failed: {}; trying again in {}", e.getMessage(), wait, e);
                }
                trigger.await(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} stopped leading", settings.identity());
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopLeading();
        if (election != null) {
            election.cancel(true);
        }
        if (loop != null) {
            try {
                loop.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        observer.close();
        cluster.close();
        electionClient.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (healthServer != null) {
            healthServer.close();
        }
    }
}
