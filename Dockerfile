# syntax=docker/dockerfile:1
#
# The archestra image: the release binary (Swift runtime linked in) on Debian slim, run as a
# non-root user. Build and run (docs/deploy.md):
#   docker build -t archestra .
#   docker run -p 9000:9000 -v archestra-data:/var/lib/archestra archestra
# The builder's Swift matches the toolchain the project is tested with (6.3, Debian 12).

FROM swift:6.3-bookworm AS build
WORKDIR /src
# Dependencies first, so a change to the sources reuses the resolved packages' layer.
COPY Package.* ./
RUN swift package resolve
COPY Sources ./Sources
# Package.swift declares the test targets; their folders must exist for any build.
COPY Tests ./Tests
COPY scripts/release ./scripts/release
ARG VERSION=dev
RUN scripts/release "$VERSION" && cp -L dist/archestra /archestra

FROM debian:bookworm-slim
# What the binary still loads besides glibc, libstdc++ and zlib: SQLite for the embedded store,
# and the CA certificates that upstream HTTPS is verified against.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libsqlite3-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/archestra --shell /usr/sbin/nologin archestra \
    && install -d -m 0700 -o archestra -g archestra /var/lib/archestra
COPY --from=build /archestra /usr/local/bin/archestra
COPY deploy/container/archestra.yaml /etc/archestra/archestra.yaml

USER archestra:archestra
WORKDIR /var/lib/archestra
# The defaults live in a file rather than in ENV: variables win over a configuration file, so
# image ENV would silently override a mounted file. `docker run -e ARCHESTRA_PORT=…` still wins.
ENV ARCHESTRA_CONFIG_FILE=/etc/archestra/archestra.yaml
VOLUME ["/var/lib/archestra"]
EXPOSE 9000 9050

# SIGTERM drains in-flight requests for ARCHESTRA_SHUTDOWN_GRACE_SECONDS (default 30): give
# `docker stop` longer than that (`docker stop -t 40`, compose `stop_grace_period: 40s`).
STOPSIGNAL SIGTERM
# No curl in the image: the binary probes its own /healthz with the same configuration.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["archestra", "healthcheck", "--timeout", "4"]

ENTRYPOINT ["archestra"]
CMD ["serve"]
