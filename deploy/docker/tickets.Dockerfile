# The tickets service image: `portal serve tickets` on port 8000 (distributed mode).
# The same image runs the service's Celery worker (`portal worker tickets [--beat]`) and its
# migrations (`portal migrate tickets`).
#
# Build from the repository root:
#   docker build -f deploy/docker/tickets.Dockerfile -t ghcr.io/customer-portal/tickets:0.1.0 .
#
# The part Dockerfiles differ only in the part's name and source folder, and this one in
# its fonts (tests/deploy/test_docker.py keeps them so): change all six together.

FROM python:3.11.15-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python -m venv /opt/portal
# Only this part's packages: the chassis and the service.
COPY services/chassis /src/chassis
COPY services/tickets /src/tickets
RUN /opt/portal/bin/pip install /src/chassis /src/tickets

FROM python:3.11.15-slim-bookworm
ENV PATH=/opt/portal/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin portal
# Ticket PDFs embed DejaVu Sans for text beyond Latin-1 (the one addition to this image).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/portal /opt/portal
# The one writable place under Kubernetes' read-only root filesystem (an emptyDir there);
# Celery beat keeps its schedule file in the working directory.
WORKDIR /tmp
USER 10001:10001
EXPOSE 8000
# No HEALTHCHECK: the image also runs workers and migrations, which have no /readyz;
# Compose and Kubernetes probe /healthz and /readyz of the servers themselves.
CMD ["portal", "serve", "tickets", "--port", "8000"]
