# The recolens job image for the Flink Kubernetes Operator (helm/recolens): the official Flink image plus the
# shaded job jar. Build from the repository root after `mvn -DskipTests package`:
#   docker build -t recolens/recolens-job:0.1.0-SNAPSHOT .
# Versions equal the parent pom's (flink.version, project version); DockerfileTest checks it.
FROM flink:2.1.0-java17

ARG FLINK_VERSION=2.1.0
ARG RECOLENS_VERSION=0.1.0-SNAPSHOT

# Plugins are enabled at build time, not with ENABLE_BUILT_IN_PLUGINS at start: the chart runs the pods with a
# read-only root filesystem, where the entrypoint could not copy them. s3-fs-hadoop serves s3:// checkpoint,
# savepoint and HA directories; the Prometheus reporter ships in plugins/ of the distribution, copied from opt/
# only if a distribution ever leaves it out.
RUN set -eux; \
    mkdir -p "$FLINK_HOME/plugins/s3-fs-hadoop"; \
    cp "$FLINK_HOME/opt/flink-s3-fs-hadoop-${FLINK_VERSION}.jar" "$FLINK_HOME/plugins/s3-fs-hadoop/"; \
    if ! ls "$FLINK_HOME"/plugins/metrics-prometheus/flink-metrics-prometheus-*.jar >/dev/null 2>&1; then \
      mkdir -p "$FLINK_HOME/plugins/metrics-prometheus"; \
      cp "$FLINK_HOME/opt/flink-metrics-prometheus-${FLINK_VERSION}.jar" "$FLINK_HOME/plugins/metrics-prometheus/"; \
    fi; \
    mkdir -p "$FLINK_HOME/usrlib"

# The chart's jarURI is local:///opt/flink/usrlib/recolens-job.jar: a fixed name, so the chart does not change
# with the version.
COPY --chown=flink:flink jobs/target/recolens-jobs-${RECOLENS_VERSION}-job.jar /opt/flink/usrlib/recolens-job.jar

# 9999 is the image's flink user; numeric so that runAsNonRoot can verify it.
USER 9999:9999
