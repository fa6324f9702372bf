#!/usr/bin/env bash
# 心桥 Xinqiao local stack: ./xq up [--no-build] | ./xq down | ./xq test | ./xq chaos | ./xq bench [screening|hotline|reporting|city] | ./xq logs <service>
# Needs only Java 17+ and this repository; Maven comes from the wrapper, everything else from Maven Central.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")" && pwd)"
cd "$ROOT"
command="${1:-up}"
shift || true

launcher() {
  local cp
  cp="$(cat "$ROOT/deploy/local/target/launcher.classpath"):$(ls "$ROOT"/deploy/local/target/xinqiao-local-stack-*.jar | head -1)"
  # the stack records each process's AOT cache on Java 25+ when it has none (XQ_AOT=use|off to change; deploy/local/README.md)
  MALLOC_ARENA_MAX=2 exec java -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Dxinqiao.aot="${XQ_AOT:-record}" -Dfile.encoding=UTF-8 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -Dxinqiao.root="$ROOT" -cp "$cp" cn.xinqiao.stack.Xq "$@"
}

case "$command" in
  up)
    if [[ "${1:-}" != "--no-build" ]]; then
      echo "[xq] building the services (first run downloads dependencies once into ~/.m2)"
      ./mvnw -B -q -DskipTests install -pl '!end-to-end-tests'
    fi
    launcher up
    ;;
  down)
    [[ -f deploy/local/target/launcher.classpath ]] || { echo "[xq] nothing built, nothing running"; exit 0; }
    launcher down
    ;;
  test)
    # every test: the README's test command (Maven installs Debian's chromium for the browser tests if missing)
    exec ./mvnw -B verify "$@"
    ;;
  chaos)
    # the fault-injection run (issue 8) on a stack of its own; ./xq test runs it too
    ./mvnw -B -q install -DskipTests -pl '!end-to-end-tests'
    exec ./mvnw -B verify -pl end-to-end-tests -Dxinqiao.fault-injection-only=true "$@"
    ;;
  bench)
    # against a running stack: ./xq up in another terminal first
    [[ -f bench/target/bench.classpath ]] || ./mvnw -B -q -DskipTests install -pl bench -am
    cp="$(cat "$ROOT/bench/target/bench.classpath"):$ROOT/bench/target/classes"
    bench=ScreeningBenchmark
    case "${1:-}" in
      hotline) bench=HotlineBenchmark; shift ;;
      reporting) bench=ReportingBenchmark; shift ;;
      city) bench=CityWaveBenchmark; shift ;;
      screening) shift ;;
    esac
    exec java -Xmx1g -Dfile.encoding=UTF-8 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dxinqiao.root="$ROOT" "$@" -cp "$cp" "cn.xinqiao.bench.$bench"
    ;;
  logs)
    tail -n 200 -f ".xq/logs/${1:?usage: ./xq logs <screening-service|referral-service|hotline-service|reporting-service|web|keycloak|kafka>}.log"
    ;;
  *)
    echo "usage: ./xq up [--no-build] | ./xq down | ./xq test | ./xq chaos | ./xq bench [screening|hotline|reporting|city] [-Dbench.x=N ...] | ./xq logs <service>" >&2
    exit 2
    ;;
esac
