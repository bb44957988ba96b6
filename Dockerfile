# kasparro's container image. The build stage has the -dev packages
# (tools/deps.sh --build) and runs make; the runtime stage has only the
# Debian packages that own the libraries the binary links
# (tools/container/runtime-packages.sh), the installed tree, and a user
# without privileges. `make image` builds it with docker or podman;
# compose.yaml runs it beside PostgreSQL.
#
#   docker run --rm -e KASPARRO_DATABASE_URL=... kasparro            the daemon
#   docker run --rm -it -e KASPARRO_DATABASE_URL=... kasparro console

FROM debian:bookworm-slim AS build
ENV DEBIAN_FRONTEND=noninteractive
COPY tools/deps.sh /tmp/deps.sh
RUN sh /tmp/deps.sh --build && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make -j"$(nproc)" \
 && make install DESTDIR=/out PREFIX=/usr \
 && sh tools/container/runtime-packages.sh /out/usr/bin/kasparro >/out/runtime-packages

FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /out/runtime-packages /tmp/runtime-packages
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends ca-certificates curl $(cat /tmp/runtime-packages) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages \
 && useradd --uid 10001 --user-group --create-home --home-dir /var/lib/kasparro \
      --shell /usr/sbin/nologin kasparro
COPY --from=build /out/usr/ /usr/
COPY tools/container/healthcheck.sh /usr/local/bin/kasparro-healthcheck
ENV LANG=C.UTF-8
LABEL org.opencontainers.image.title="kasparro" \
      org.opencontainers.image.description="Ingestion of JSON APIs and CSV files into PostgreSQL, with an operators' console" \
      org.opencontainers.image.licenses="GPL-3.0-or-later"
# The console's history and anything kasparro keeps lives in its home.
WORKDIR /var/lib/kasparro
USER 10001:10001
# GET /health from the daemon's HTTP API (tools/container/healthcheck.sh)
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
  CMD ["kasparro-healthcheck"]
ENTRYPOINT ["kasparro"]
CMD ["daemon"]
