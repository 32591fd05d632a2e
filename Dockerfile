# syntax=docker/dockerfile:1
# Multi-stage build of the rotnet image: one runnable jar with every service.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first, so the dependency layer is cached while sources change.
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY devstack/pom.xml devstack/
COPY model/pom.xml model/
COPY producer/pom.xml producer/
COPY trainer/pom.xml trainer/
COPY evaluator/pom.xml evaluator/
COPY dense/pom.xml dense/
COPY app/pom.xml app/
COPY schemas/src/main/avro schemas/src/main/avro
RUN mvn -B -q -pl schemas install -DskipTests && mvn -B -q -pl app -am dependency:resolve -DexcludeGroupIds=io.rotnet || true
COPY . .
RUN mvn -B -q -DskipTests package

# CPU runtime: PyTorch's CPU natives ship inside the jar, nothing is downloaded at run time.
FROM eclipse-temurin:17-jre AS runtime
RUN useradd --system --uid 10001 --home-dir /var/lib/rotnet rotnet \
 && mkdir -p /var/lib/rotnet/checkpoints /var/lib/rotnet/cache /data \
 && chown -R rotnet /var/lib/rotnet
COPY --from=build /src/app/target/rotnet-all.jar /opt/rotnet/rotnet.jar
COPY data /opt/rotnet/data
ENV DJL_OFFLINE=true OPT_OUT_TRACKING=true JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# Freed activations stay in the process for the next batch instead of being page-faulted in
# again (the rotnet launcher sets the same; docs/BENCHMARKS.md, P7).
ENV MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 THP_MEM_ALLOC_ENABLE=1
USER rotnet
WORKDIR /var/lib/rotnet
ENTRYPOINT ["java", "-jar", "/opt/rotnet/rotnet.jar"]
CMD ["--help"]

# GPU runtime: DJL's JNI for PyTorch 2.7.1 + CUDA 12.8 loads the matching libtorch from the
# torch wheel, installed at build time (the only network access; the container runs offline).
# Needs an NVIDIA driver of the R570 branch or newer on the host and the NVIDIA Container Toolkit.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-gpu
ENV DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 \
    PYTORCH_LIBRARY_PATH=/usr/local/lib/python3.12/dist-packages/torch/lib
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless python3-pip \
 && pip3 install --no-cache-dir --break-system-packages torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/rotnet rotnet \
 && mkdir -p /var/lib/rotnet/checkpoints /var/lib/rotnet/cache && chown -R rotnet /var/lib/rotnet
# The build fails here, not the trainer at run time, when the wheel's CUDA libtorch is elsewhere
# (a new Python or torch version moves it): DJL would otherwise fall back to no CUDA at all.
RUN test -f "$PYTORCH_LIBRARY_PATH/libtorch_cuda.so" \
 || { echo "libtorch_cuda.so is not in PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH" >&2; \
      find / -name libtorch_cuda.so -not -path '/proc/*' >&2; exit 1; }
COPY --from=build /src/app/target/rotnet-all.jar /opt/rotnet/rotnet.jar
COPY data /opt/rotnet/data
USER rotnet
WORKDIR /var/lib/rotnet
ENTRYPOINT ["java", "-jar", "/opt/rotnet/rotnet.jar"]
CMD ["--help"]
