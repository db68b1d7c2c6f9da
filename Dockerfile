# One image for both deployments (docs/deployment.md): SQLite on the /data volume by default,
# PostgreSQL when OUTREACH_DATABASE_URL says postgresql://.
# Bookworm named explicitly: its postgresql-client is 15, the server version docker-compose.yml
# runs and CI tests, and pg_dump refuses to dump a server newer than itself.
FROM python:3.11-slim-bookworm
# pg_dump and pg_restore, which `outreach backup` and `outreach restore` call on PostgreSQL
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/outreach
COPY pyproject.toml README.md ./
COPY outreach ./outreach
COPY geo ./geo
COPY static ./static
RUN pip install --no-cache-dir . && useradd --system outreach && mkdir /data \
    && chown outreach /data
USER outreach
ENV PYTHONUNBUFFERED=1 \
    OUTREACH_HOST=0.0.0.0 \
    OUTREACH_PORT=8000 \
    OUTREACH_DATABASE_URL=sqlite:////data/outreach.db
VOLUME /data
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=5)"
CMD ["outreach", "serve"]
