package cn.xinqiao.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks' load driver: {@code total} calls over {@code threads} driver threads, each with its own keep-alive
 * connection, every call's latency kept; the result prints rate, p50, p99 and errors in one line.
 */
final class LoadDriver {

    private LoadDriver() {
    }

    record Result(int count, double seconds, long[] micros, int errors) {
        double rate() {
            return count / seconds;
        }

        double p(int percentile) {
            return HotlineBenchmark.p(micros, percentile);
        }

        void print(String what) {
            System.out.printf("[bench] %-55s %7d in %6.1f s = %8.0f/s  p50 %6.1f ms  p99 %6.1f ms  errors %d%n",
                    what, count, seconds, rate(), p(50), p(99), errors);
        }
    }

    interface Call {
        void call(int i) throws Exception;
    }

    static Result run(int threads, int total, Call call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[] micros = new long[total];
        AtomicLong firstError = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    long start = System.nanoTime();
                    try {
                        call.call(i);
                    } catch (Exception e) {
                        if (errors.incrementAndGet() == 1 && firstError.compareAndSet(0, 1)) {
                            System.out.println("[bench] first error: " + e.getMessage());
                        }
                    }
                    micros[i] = (System.nanoTime() - start) / 1000;
                }
                BenchHttp client = CLIENT.get();
                if (client != null) {
                    client.close();
                    CLIENT.remove();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return new Result(total, (System.nanoTime() - t0) / 1e9, micros, errors.get());
    }

    /** The calling driver thread's keep-alive connection (driver threads live for one {@link #run}). */
    static final ThreadLocal<BenchHttp> CLIENT = new ThreadLocal<>();

    static BenchHttp client(String baseUrl) {
        BenchHttp client = CLIENT.get();
        if (client == null) {
            client = new BenchHttp(baseUrl, 30_000);
            CLIENT.set(client);
        }
        return client;
    }
}
