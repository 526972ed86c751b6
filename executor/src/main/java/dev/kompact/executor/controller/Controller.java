package dev.kompact.executor.controller;

import dev.kompact.executor.cloud.InterruptionNotices;
import dev.kompact.executor.snapshot.ClusterObserver;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.execution.PlanStore;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The always-on controller. Every replica observes the cluster and serves metrics and health; only the holder of
 * the {@code coordination.k8s.io/v1} Lease plans and acts, one round per policy interval, and listens to the cloud's
 * interruption notices: a notice for one of the cluster's nodes becomes an evacuation plan, and the round in
 * progress yields to it at its next look. Losing the Lease stops the round at its next look at the cluster; the
 * next leader resumes any unfinished plan from its journal.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);
  private static final Duration RETRY = Duration.ofSeconds(30);
  private static final Duration QUEUE_RETRY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final ControllerSettings settings;
  private final ClusterObserver observer;
  private final Fabric8ClusterApi cluster;
  private final PlanStore store;
  private final PlanningRound round;
  private final RoundTrigger trigger = new RoundTrigger();
  private final Optional<InterruptionNotices> interruptions;
  private final InterruptionResponder responder;
  private final ControllerMetrics metrics;
  private final PrometheusRegistry registry;
  private volatile boolean leading;
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
  public Controller(KubernetesClient client, ControllerSettings settings, ControllerCloud cloud,
      Optional<Migrator> migrator, PrometheusRegistry registry) {
    this.client = client;
    this.settings = settings;
    this.registry = registry;
    this.observer = new ClusterObserver(client, cloud.catalog(), settings.clusterName());
    this.cluster = new Fabric8ClusterApi(client);
    this.store = new Fabric8PlanStore(client);
    this.metrics = new ControllerMetrics(registry);
    Optional<PlanExecutor> executor = cloud.provider().map(c -> new PlanExecutor(cluster, c, migrator, store,
        cloud.catalog(), settings.executor(), metrics, Clock.systemUTC()));
    PlanPublisher publisher = new PlanPublisher(cluster, store, settings.identity(), Clock.systemUTC());
    NoticedNodes noticed = new NoticedNodes();
    this.round = new PlanningRound(observer, cluster, store, publisher, executor, cloud.catalog(), noticed, metrics,
        Clock.systemUTC());
    this.interruptions = cloud.interruptions();
    this.responder = new InterruptionResponder(observer, cluster, store, publisher, executor.isPresent(),
        settings.policyName(), trigger, noticed, Clock.systemUTC());
  }

  public synchronized void start() throws IOException {
    metricsServer = HTTPServer.builder().port(settings.metricsPort()).registry(registry).buildAndStart();
    healthServer = new HealthServer(settings.healthPort(), observer::isSynced);
    observer.start();
    election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(settings.leaseName())
        .withLock(new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
            leader -> log.info("{} leads the Kompact controllers", leader)))
        .build()).build().start();
    log.info("controller {} started for policy {}; metrics on :{}, health on :{}", settings.identity(),
        settings.policyName(), metricsPort(), healthPort());
  }

  public boolean isLeading() {
    return leading;
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
    leading = true;
    loop = new Thread(this::lead, "kompact-controller-" + settings.identity());
    loop.setDaemon(true);
    loop.start();
    interruptions.ifPresent(queue -> {
      listener = new Thread(() -> listen(queue), "kompact-interruptions-" + settings.identity());
      listener.setDaemon(true);
      listener.start();
    });
  }

  private synchronized void stopLeading() {
    leading = false;
    if (loop != null) {
      loop.interrupt();
    }
    if (listener != null) {
      listener.interrupt();
    }
  }

  /** Long-polls the interruption queue while leading; a queue that cannot be read is tried again shortly. */
  private void listen(InterruptionNotices queue) {
    while (leading) {
      try {
        queue.poll(responder);
      } catch (RuntimeException e) {
        if (!leading) {
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

  private void lead() {
    log.info("{} is the leader: planning with policy {}", settings.identity(), settings.policyName());
    try {
      try {
        LeftoverTaints.clean(cluster, store);
      } catch (RuntimeException e) {
        log.warn("could not put nodes left disrupted by stopped plans back into service: {}", e.getMessage());
      }
      while (leading) {
        Duration wait = RETRY;
        try {
          Optional<OptimizationPolicy> policy = store.policy(settings.policyName());
          if (policy.isEmpty()) {
            log.warn("no OptimizationPolicy named {}: create one (kubectl apply -f policy.yaml); looking again in {}",
                settings.policyName(), RETRY);
          } else {
            wait = GoDurations.parse(policy.get().getSpec().interval, "spec.interval");
            // an evacuation plan fires the trigger: the round stops at its next look and the next one runs it first
            round.run(policy.get(), () -> leading && !trigger.isFired());
          }
        } catch (RuntimeException e) {
          // a bad policy or an unreachable API server; a plan's journal holds what was done, the next round resumes
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
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (healthServer != null) {
      healthServer.close();
    }
  }
}
