package cn.xinqiao.screening.submission;

import cn.xinqiao.platform.problem.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit for online submissions: the requests that arrive together are made in one transaction
 * ({@link SubmissionService#submitAll}: one locked read, one batch of rows, one commit) by a few writer threads,
 * and each caller's future completes with its own outcome. Nothing is acknowledged before its commit. A refused request
 * (closed campaign, answers that do not fit) gets its own problem and does not hold the others back; if the
 * transaction itself fails, its requests are made again one by one, each in its own transaction, so one bad
 * request cannot fail its neighbours (and a request that lost a race to its own duplicate replays it). Under light load a batch is one request: no one waits for company.
 */
@ApplicationScoped
public class SubmissionWriter {

    private static final Logger LOG = Logger.getLogger(SubmissionWriter.class);

    private record Pending(SubmissionService.Request request, CompletableFuture<SubmissionService.Made> done) {
    }

    @Inject
    SubmissionService submissions;

    @ConfigProperty(name = "xinqiao.submissions.writers", defaultValue = "2")
    int writers;

    @ConfigProperty(name = "xinqiao.submissions.batch-size", defaultValue = "32")
    int batchSize;

    @ConfigProperty(name = "xinqiao.submissions.queue", defaultValue = "2000")
    int queueSize;

    private BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    void start(@Observes StartupEvent ignored) {
        queue = new ArrayBlockingQueue<>(queueSize);
        running = true;
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::run, "submission-writer-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(shuttingDown());
        }
    }

    /**
     * Makes the submission with whatever else is waiting. Completes (on a writer thread) once it is committed, or
     * with its problem; the caller's thread only queues it, so the HTTP event loop can take the next request
     * while the group commits. Nothing is acknowledged before its commit.
     */
    public CompletionStage<SubmissionService.Outcome> submitAsync(SubmissionService.Request request) {
        if (!request.online()) {
            // paper entry is audited as the signed-in staff member, whose identity lives on the request's thread
            throw new IllegalArgumentException("only online submissions are group-committed");
        }
        Pending pending = new Pending(request, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            throw Problem.unavailable("busy", "too many submissions at once; please send again in a moment / 提交人数较多，请稍后重试");
        }
        return pending.done()
                .orTimeout(30, TimeUnit.SECONDS)
                .handle((made, failure) -> {
                    if (failure == null) {
                        return made.orThrow();
                    }
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof TimeoutException) {
                        // it may still be written: the client sends again with the same clientSubmissionId, which replays
                        throw Problem.unavailable("busy", "the submission is taking long; please send again / 提交较慢，请重新提交");
                    }
                    throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
                });
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, batchSize - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(p -> p.done().completeExceptionally(shuttingDown()));
                return;
            } catch (RuntimeException e) {
                LOG.errorf("submission writer: unexpected %s", e.getClass().getName());
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<SubmissionService.Request> requests = batch.stream().map(Pending::request).toList();
        try {
            List<SubmissionService.Made> made = QuarkusTransaction.requiringNew().call(() -> submissions.submitAll(requests));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(made.get(i));
            }
        } catch (RuntimeException failed) {
            // One of them broke the transaction: a lost connection, or a race on a unique key (the same submission
            // sent twice at once: the second read its "not yet made" before the first committed). Each again on its
            // own, with a fresh snapshot: the duplicate now replays, a second instrument answer becomes a CONFLICT.
            LOG.warnf("a batch of %d submissions failed (%s); making them one by one", batch.size(), failed.getClass().getName());
            for (Pending p : batch) {
                try {
                    p.done().complete(QuarkusTransaction.requiringNew().call(() -> submissions.submitAll(List.of(p.request()))).get(0));
                } catch (RuntimeException e) {
                    p.done().completeExceptionally(e);
                }
            }
        }
    }

    private static Problem shuttingDown() {
        return Problem.unavailable("shutting-down", "the service is restarting; please send again / 服务重启中，请重新提交");
    }
}
