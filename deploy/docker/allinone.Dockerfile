# The all-in-one image: the gateway and all five services in one process (`portal dev`),
# with embedded defaults (SQLite files, blobs and the mailbox under /data, in-memory
# event bus, tasks run inline). For trying the portal on one machine, not for production.
#
# Build from the repository root, then run it:
#   docker build -f deploy/docker/allinone.Dockerfile -t ghcr.io/customer-portal/allinone:0.1.0 .
#   docker run --rm -p 8000:8000 -v portal-data:/data ghcr.io/customer-portal/allinone:0.1.0 \
#     portal dev --host 0.0.0.0 --data-dir /data --demo
# (`--demo` seeds demo organizations, users and articles and prints their credentials;
# without it, set PORTAL_BOOTSTRAP_ADMIN_PASSWORD to get an `admin` user.)

FROM python:3.11.15-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python -m venv /opt/portal
COPY services /src/services
COPY gateway /src/gateway
RUN /opt/portal/bin/pip install /src/services/chassis /src/services/identity \
      /src/services/tickets /src/services/files /src/services/faq /src/services/notify \
      /src/gateway

FROM python:3.11.15-slim-bookworm
ENV PATH=/opt/portal/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    PORTAL_DATA_DIR=/data \
    PORTAL_PUBLIC_URL=http://localhost:8000
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin portal
# Ticket PDFs embed DejaVu Sans for text beyond Latin-1.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/portal /opt/portal
RUN mkdir /data && chown 10001:10001 /data
VOLUME /data
WORKDIR /data
USER 10001:10001
EXPOSE 8000
# One process serves everything here, so its readiness is the whole portal's.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["portal", "dev", "--host", "0.0.0.0", "--port", "8000", "--data-dir", "/data"]
